//! A package that had to be built from its source and could not be: which one, which listed
//! package brought it in, and what its build needed that this computer lacks (SWIG, a C or
//! C++ compiler, Rust, a library's headers) — read from uv's and pip's words, which name the
//! package, and the build's own output, which names the tool.

use crate::error::Missing;
use crate::project::requirements::pep508::name_of;

/// One failed build, as the installer's output tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    /// Normalised (`box2d-py`).
    pub package: String,
    pub version: Option<String>,
    /// The package that depends on it, when uv says so (`scipy` was included because `pymc3`
    /// depends on it).
    pub needed_by: Option<String>,
    /// `None` when the output does not say (a build that fails on its own code).
    pub missing: Option<Missing>,
    /// The installer's line that names the package, and the build's that names what it
    /// lacked: the two lines that say it all.
    pub evidence: Vec<String>,
}

/// The build failure `output` reports, if it reports one.
pub fn classify(output: &str) -> Option<BuildFailure> {
    let (package, version, named_in) = failed_package(output)?;
    let (missing, said_in) = match missing(output) {
        Some((tool, line)) => (Some(tool), Some(line)),
        None => (None, None),
    };
    Some(BuildFailure {
        package,
        version,
        needed_by: needed_by(output),
        missing,
        evidence: [Some(named_in), said_in]
            .into_iter()
            .flatten()
            .map(|l| l.trim().to_string())
            .collect(),
    })
}

/// uv: ``Failed to build `box2d-py==2.3.8` `` (or `` `name @ file:///…` `` for a path);
/// pip: `ERROR: Failed building wheel for box2d-py`, `Failed to build box2d-py`.
fn failed_package(output: &str) -> Option<(String, Option<String>, &str)> {
    let uv = output.lines().find_map(|line| {
        let rest = line
            .split_once("Failed to build `")
            .or_else(|| line.split_once("Failed to download and build `"))?
            .1;
        rest.split_once('`')
            .map(|(requirement, _)| (requirement, line))
    });
    if let Some((requirement, line)) = uv {
        let name = name_of(requirement)?;
        let version = requirement
            .split_once("==")
            .map(|(_, v)| v.trim().to_string());
        return Some((name, version, line));
    }
    let (pip, line) = output.lines().find_map(|line| {
        let said = line.trim().trim_start_matches("ERROR: ");
        said.strip_prefix("Failed building wheel for ")
            .or_else(|| said.strip_prefix("Failed to build "))
            .map(|rest| (rest, line))
    })?;
    // pip 24: `Failed to build installable wheels for some pyproject.toml based projects
    // (box2d-py)`.
    let named = match pip.split_once(" based projects (") {
        Some((_, rest)) => rest.trim_end_matches(')'),
        None => pip,
    };
    let name = name_of(named.split([' ', ',']).next()?)?;
    Some((name, None, line))
}

/// uv's hint: `` `scipy` (v1.7.3) was included because `pymc3` (v3.11.6) depends on `scipy` ``.
fn needed_by(output: &str) -> Option<String> {
    let rest = output.split_once("was included because `")?.1;
    name_of(rest.split_once('`')?.0)
}

/// The first of the known signs of a missing tool in the build's output, and its line.
fn missing(output: &str) -> Option<(Missing, &str)> {
    let lines: Vec<&str> = output.lines().map(str::trim).collect();
    let signs: [fn(&str) -> Option<Missing>; 4] =
        [windows_compiler, rust, program_not_found, header_or_library];
    signs.iter().find_map(|sign| {
        lines
            .iter()
            .find_map(|line| sign(line).map(|tool| (tool, *line)))
    })
}

fn windows_compiler(line: &str) -> Option<Missing> {
    line.contains("Microsoft Visual C++ 14.0 or greater is required")
        .then_some(Missing::MsvcBuildTools)
}

/// setuptools-rust: `can't find Rust compiler`; older maturin: `Cargo, the Rust package
/// manager, is not installed or is not on PATH`.
fn rust(line: &str) -> Option<Missing> {
    (line.contains("can't find Rust compiler")
        || line.contains("the Rust package manager, is not installed"))
    .then_some(Missing::Rust)
}

/// A program the build ran that is not there: distutils' `error: command 'swig' failed: No
/// such file or directory`, Python's `[Errno 2] No such file or directory: 'gcc'`, the shell's
/// `swig: not found` / `swig: command not found`.
fn program_not_found(line: &str) -> Option<Missing> {
    let distutils = line
        .split_once("command '")
        .and_then(|(_, rest)| rest.split_once("' failed: No such file or directory"))
        .map(|(program, _)| (program, true));
    let python = line
        .split_once("No such file or directory: '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(program, _)| (program, false));
    let shell = [": not found", ": command not found"]
        .iter()
        .find_map(|end| {
            let program = line.strip_suffix(end)?.rsplit([' ', ':']).next()?;
            Some((program, false))
        });
    let (program, surely_a_program) = distutils.or(python).or(shell)?;
    tool_named(program).or_else(|| {
        // Python's and the shell's wording is also said of files: only a command distutils
        // ran is surely a program.
        surely_a_program.then(|| Missing::Program(program.to_string()))
    })
}

/// The tool a program's name is (`/usr/bin/x86_64-linux-gnu-gcc` is a C compiler).
fn tool_named(program: &str) -> Option<Missing> {
    let base = program.rsplit(['/', '\\']).next()?;
    let base = base.strip_suffix(".exe").unwrap_or(base);
    Some(match base {
        b if b.starts_with("swig") => Missing::Swig,
        b if b.ends_with("g++") || b.ends_with("c++") || b.ends_with("clang++") => {
            Missing::CppCompiler
        }
        b if b.ends_with("gcc") || b == "cc" || b.starts_with("clang") => Missing::CCompiler,
        "cl" => Missing::MsvcBuildTools,
        "cargo" | "rustc" => Missing::Rust,
        "pkg-config" | "pkgconf" => Missing::PkgConfig,
        _ => return None,
    })
}

/// gcc: `fatal error: foo.h: No such file or directory`; clang: `fatal error: 'foo.h' file not
/// found`; MSVC: `Cannot open include file: 'foo.h'`; pkg-config: `Package cairo was not found
/// in the pkg-config search path`; meson: `Dependency "cairo" not found`; meson without
/// pkg-config: `Did not find pkg-config by name 'pkg-config'`.
fn header_or_library(line: &str) -> Option<Missing> {
    if let Some((_, rest)) = line.split_once("fatal error: ") {
        let header = rest
            .strip_suffix(": No such file or directory")
            .or_else(|| rest.strip_suffix(" file not found"))?;
        return Some(Missing::Header(
            header.trim_matches(['\'', '"']).to_string(),
        ));
    }
    if let Some((_, rest)) = line.split_once("Cannot open include file: '") {
        return Some(Missing::Header(rest.split_once('\'')?.0.to_string()));
    }
    if line.contains("Did not find pkg-config by name") {
        return Some(Missing::PkgConfig);
    }
    let library = line
        .split_once("Package ")
        .and_then(|(_, rest)| rest.split_once(" was not found in the pkg-config search path"))
        .map(|(name, _)| name)
        .or_else(|| {
            let rest = line.split_once("Dependency \"")?.1;
            let (name, after) = rest.split_once('"')?;
            after.trim_start().starts_with("not found").then_some(name)
        })?;
    Some(Missing::Library(library.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(output: &str) -> Option<Missing> {
        missing(output).map(|(tool, _)| tool)
    }

    /// `uv pip install box2d-py==2.3.8` (uv 0.13.9, Python 3.11.7, no SWIG), trimmed.
    const UV_SWIG: &str = "Using Python 3.11.7 environment at: /tmp/t311
Resolved 1 package in 212ms
   Building box2d-py==2.3.8
error: Failed to build `box2d-py==2.3.8`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)

         [stdout]
         running build_ext
         building 'Box2D._Box2D' extension
         swigging Box2D/Box2D.i to Box2D/Box2D_wrap.cpp
         swig -python -c++ -IBox2D -small -O -includeall -ignoremissing -w201 -globals b2Globals -outdir library/Box2D -keyword -w511 -D_SWIG_KWARGS -o Box2D/Box2D_wrap.cpp Box2D/Box2D.i

         [stderr]
         warning: build_py: byte-compiling is disabled, skipping.

         error: command 'swig' failed: No such file or directory

hint: Build failures usually indicate a problem with the package or the build environment";

    #[test]
    fn uv_names_the_package_and_the_build_names_swig() {
        assert_eq!(
            classify(UV_SWIG),
            Some(BuildFailure {
                package: "box2d-py".into(),
                version: Some("2.3.8".into()),
                needed_by: None,
                missing: Some(Missing::Swig),
                evidence: vec![
                    "error: Failed to build `box2d-py==2.3.8`".into(),
                    "error: command 'swig' failed: No such file or directory".into()
                ],
            })
        );
    }

    /// pip 23.2.1 on the same package.
    #[test]
    fn pip_names_the_package_too() {
        let pip = "Building wheels for collected packages: box2d-py
  Building wheel for box2d-py (pyproject.toml): finished with status 'error'
  error: subprocess-exited-with-error
      swig -python -c++ -IBox2D -small -O -includeall -ignoremissing -w201 -globals b2Globals -outdir library/Box2D -keyword -w511 -D_SWIG_KWARGS -o Box2D/Box2D_wrap.cpp Box2D/Box2D.i
      error: command 'swig' failed: No such file or directory
  note: This error originates from a subprocess, and is likely not a problem with pip.
  ERROR: Failed building wheel for box2d-py
Failed to build box2d-py
ERROR: Could not build wheels for box2d-py, which is required to install pyproject.toml-based projects";
        let failure = classify(pip).unwrap();
        assert_eq!(failure.package, "box2d-py");
        assert_eq!(failure.missing, Some(Missing::Swig));
        let pip24 = "Failed to build box2d-py\nERROR: Failed to build installable wheels for some pyproject.toml based projects (box2d-py)";
        assert_eq!(classify(pip24).unwrap().package, "box2d-py");
        let only_the_summary = "ERROR: Failed to build installable wheels for some pyproject.toml based projects (box2d-py, pygame)";
        assert_eq!(classify(only_the_summary).unwrap().package, "box2d-py");
    }

    /// A C extension built with no compiler on PATH (uv 0.13.9, pyenv's Python: `gcc`), one
    /// whose header is missing, and Rust with setuptools-rust.
    #[test]
    fn compilers_headers_and_rust_are_named() {
        let no_gcc = "error: Failed to build `cext-two @ file:///tmp/cext2`
  cause: The build backend returned an error
         running build_ext
         building 'cext_two' extension
         gcc -Wsign-compare -DNDEBUG -g -fwrapv -O3 -Wall -fPIC -I/root/.pyenv/versions/3.11.7/include/python3.11 -c src/m.c -o build/temp.linux-x86_64-cpython-311/src/m.o
         error: [Errno 2] No such file or directory: 'gcc'";
        let failure = classify(no_gcc).unwrap();
        assert_eq!(failure.package, "cext-two");
        assert_eq!(failure.version, None);
        assert_eq!(failure.missing, Some(Missing::CCompiler));
        let debian = "error: command 'x86_64-linux-gnu-gcc' failed: No such file or directory";
        assert_eq!(tool(debian), Some(Missing::CCompiler));
        assert_eq!(
            tool("error: command '/usr/bin/g++' failed: No such file or directory"),
            Some(Missing::CppCompiler)
        );
        let header = "         src/m.c:2:10: fatal error: libfoo/foo.h: No such file or directory
             2 | #include <libfoo/foo.h>
               |          ^~~~~~~~~~~~~~
         compilation terminated.
         error: command '/usr/bin/gcc' failed with exit code 1

hint: This error likely indicates that you need to install a library that provides `libfoo/foo.h` for `file:///tmp/cext`";
        assert_eq!(tool(header), Some(Missing::Header("libfoo/foo.h".into())));
        let rust = "         running build_rust
         error: can't find Rust compiler

         If you are using an outdated pip version, it is possible a prebuilt wheel is available for this package but pip is not able to install from it. Installing from the wheel would avoid the need for a Rust compiler.";
        assert_eq!(tool(rust), Some(Missing::Rust));
        let msvc = "      error: Microsoft Visual C++ 14.0 or greater is required. Get it with \"Microsoft C++ Build Tools\": https://visualstudio.microsoft.com/visual-cpp-build-tools/";
        assert_eq!(tool(msvc), Some(Missing::MsvcBuildTools));
    }

    /// pycairo 1.29.2 (meson-python) without cairo's development files; the classic pkg-config
    /// wording; and a pkg-config that is not installed.
    #[test]
    fn libraries_found_with_pkg_config_are_named() {
        let meson = "         Found pkg-config: YES (/usr/bin/pkg-config) 1.8.1
         Run-time dependency cairo found: NO  (tried pkg-config)

         ../cairo/meson.build:31:12: ERROR: Dependency \"cairo\" not found (tried pkg-config)";
        assert_eq!(tool(meson), Some(Missing::Library("cairo".into())));
        let classic = "Package libxml-2.0 was not found in the pkg-config search path.";
        assert_eq!(tool(classic), Some(Missing::Library("libxml-2.0".into())));
        assert_eq!(
            tool("/bin/sh: 1: pkg-config: not found"),
            Some(Missing::PkgConfig)
        );
    }

    /// `uv pip install pymc3` on Python 3.11: scipy 1.7.3 (no wheel for 3.11) is built and
    /// fails on its own code; uv says which listed package wanted it.
    #[test]
    fn a_dependency_that_fails_on_its_own_code_names_who_needs_it() {
        let pymc3 = "error: Failed to build `scipy==1.7.3`
  cause: The build backend returned an error
         ModuleNotFoundError: No module named 'pip'
         RuntimeError: Running cythonize failed!

hint: `scipy` (v1.7.3) was included because `pymc3` (v3.11.6) depends on `scipy`

hint: Build failures usually indicate a problem with the package or the build environment";
        assert_eq!(
            classify(pymc3),
            Some(BuildFailure {
                package: "scipy".into(),
                version: Some("1.7.3".into()),
                needed_by: Some("pymc3".into()),
                missing: None,
                evidence: vec!["error: Failed to build `scipy==1.7.3`".into()],
            })
        );
    }

    #[test]
    fn other_failures_are_not_build_failures() {
        let metadata = "error: No solution found when resolving dependencies\n  cause: Because pandas==0.18.1 has invalid metadata and you require pandas==0.18.1, we can conclude that your requirements are unsatisfiable.";
        assert_eq!(classify(metadata), None);
        // A file that is not there is not a missing program.
        assert_eq!(
            tool("FileNotFoundError: [Errno 2] No such file or directory: 'README.md'"),
            None
        );
    }
}
