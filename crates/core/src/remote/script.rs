//! Shell scripts for the remote side. The remote command is always the fixed `sh -s`: the
//! script comes on standard input, so neither project data nor a token is ever on a command
//! line, and the user's login shell (bash, zsh, fish, tcsh) does not matter.

/// `value` as one POSIX shell word: single-quoted, a `'` written as `'\''`.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Where Darwinix keeps its files on the remote, as a shell expression (the remote user's
/// data folder, as Darwinix there would choose it).
pub const REMOTE_HOME: &str = r#""${XDG_DATA_HOME:-$HOME/.local/share}/darwinix""#;

/// A whole script around `body`. The body is a function that is read to its end before it
/// runs, and runs with its standard input closed, so nothing it starts can eat the rest of
/// the script (or wait for input that never comes).
pub fn wrap(body: &str) -> Vec<u8> {
    format!("set -u\numask 077\nmain() {{\n{body}\n}}\nmain </dev/null\n").into_bytes()
}

/// A script that runs `program` with `args`, with `input` (when given) on its standard input
/// through the shell's own `printf` (a builtin: no process, so no command line shows it).
pub fn run(program: &str, args: &[&str], input: Option<&str>) -> Vec<u8> {
    let mut line = String::new();
    if let Some(input) = input {
        line.push_str(&format!("printf '%s\\n' {} | ", quote(input)));
    }
    line.push_str(program);
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    wrap(&line)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn sh(script: &[u8]) -> (String, i32) {
        let mut child = Command::new("sh")
            .arg("-s")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(script).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            out.status.code().unwrap(),
        )
    }

    #[test]
    fn quoted_words_reach_the_program_unchanged() {
        let tricky = ["it's", "$HOME", "`id`", "a b", "ü\\n", "--", "'", ""];
        let script = run("printf '%s|'", &tricky, None);
        let (out, code) = sh(&script);
        assert_eq!(code, 0);
        assert_eq!(out, format!("{}|", tricky.join("|")));
    }

    #[test]
    fn input_goes_to_the_program_and_the_rest_of_the_script_still_runs() {
        let mut script = run("cat", &[], Some("secret 'x'"));
        // What follows the script must not be read by the program it runs.
        script.extend_from_slice(b"echo after\n");
        let (out, code) = sh(&script);
        assert_eq!(code, 0);
        assert_eq!(out, "secret 'x'\nafter\n");
    }

    #[test]
    fn the_remote_home_follows_xdg_data_home() {
        let (out, _) = sh(&wrap(&format!("XDG_DATA_HOME=/x; printf %s {REMOTE_HOME}")));
        assert_eq!(out, "/x/darwinix");
    }
}
