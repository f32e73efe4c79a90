//! From what a notebook imports to what the package index calls it.

mod table;

pub use table::canonical;
use table::Entry;

/// Modules that come with Python (`sys.stdlib_module_names` of 3.11, plus the ones older
/// versions still have): never installed.
const STDLIB: &[&str] = &[
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// Modules Python 2 had and 3 renamed or dropped: an old notebook imports them, and what the
/// index has under those names (`configparser`, a backport) is not what it means.
const PYTHON2_STDLIB: &[&str] = &[
    "BaseHTTPServer",
    "CGIHTTPServer",
    "ConfigParser",
    "Cookie",
    "HTMLParser",
    "Queue",
    "ScrolledText",
    "SimpleHTTPServer",
    "SocketServer",
    "StringIO",
    "Tkinter",
    "UserDict",
    "UserList",
    "UserString",
    "anydbm",
    "commands",
    "cookielib",
    "copy_reg",
    "cPickle",
    "cStringIO",
    "dummy_thread",
    "exceptions",
    "htmlentitydefs",
    "httplib",
    "md5",
    "mimetools",
    "robotparser",
    "sets",
    "sha",
    "thread",
    "tkFileDialog",
    "tkMessageBox",
    "ttk",
    "urllib2",
    "urlparse",
    "xmlrpclib",
];

/// What an import asks to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The distribution that provides it (normalised: `scikit-learn`).
    Package(String),
    /// Only a hosted notebook service has it (`google.colab`): nothing to install.
    Hosted(String),
    /// No package of this name is known: not installed. It is most likely the project's own
    /// module, and installing whatever an import names invites look-alike packages.
    Unknown(String),
}

/// Whether `module` (the first part of a dotted name) comes with Python.
pub fn is_stdlib(module: &str) -> bool {
    // `_thread`, `__future__`: underscored top-level modules are Python's own.
    module.starts_with('_')
        || STDLIB.binary_search(&module).is_ok()
        || PYTHON2_STDLIB.contains(&module)
}

/// What `import dotted` needs (`sklearn.linear_model` → `scikit-learn`). Darwinix's own table
/// first (two dotted parts before one), then pipreqs', then a well-known distribution of the
/// same name; anything else is [`Resolved::Unknown`].
pub fn resolve(dotted: &str) -> Resolved {
    let parts: Vec<&str> = dotted.split('.').collect();
    for len in (1..=parts.len().min(2)).rev() {
        let key = parts[..len].join(".");
        match table::ours(&key) {
            Some(Entry::Distribution(dist)) => return Resolved::Package(canonical(dist)),
            Some(Entry::Hosted) => return Resolved::Hosted(key),
            Some(Entry::Unknown) => return Resolved::Unknown(key),
            Some(Entry::Namespace) => return namespace(&parts, len, &[]),
            None => {}
        }
    }
    let top = parts[0];
    match table::mapped(top) {
        Some([dist]) => Resolved::Package(canonical(dist)),
        Some(listed) => namespace(&parts, 1, listed),
        None if table::rank(&canonical(top)).is_some() => Resolved::Package(canonical(top)),
        None => Resolved::Unknown(top.to_string()),
    }
}

/// The distribution for `dotted`, or `None` when nothing is to be installed for it.
pub fn distribution(dotted: &str) -> Option<String> {
    match resolve(dotted) {
        Resolved::Package(dist) => Some(dist),
        Resolved::Hosted(_) | Resolved::Unknown(_) => None,
    }
}

/// An import below a name several distributions share (its first `prefix` parts): the longest
/// `ns-sub-module` that is well known or `listed` (`google.cloud.storage` →
/// `google-cloud-storage`), else the most downloaded of `listed` (pipreqs' `progressbar` is
/// `progressbar2` or `progressbar33`).
fn namespace(parts: &[&str], prefix: usize, listed: &[&str]) -> Resolved {
    let listed: Vec<String> = listed.iter().map(|d| canonical(d)).collect();
    for len in (prefix + 1..=parts.len().min(4)).rev() {
        let name = canonical(&parts[..len].join("."));
        if table::rank(&name).is_some() || listed.contains(&name) {
            return Resolved::Package(name);
        }
    }
    let best = listed
        .iter()
        .filter_map(|d| table::rank(d).map(|rank| (rank, d)))
        .min();
    match best {
        Some((_, dist)) => Resolved::Package(dist.clone()),
        None => Resolved::Unknown(parts[..parts.len().min(prefix + 1)].join(".")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stdlib_table_is_sorted_for_lookup() {
        assert!(STDLIB.windows(2).all(|w| w[0] < w[1]));
        for m in [
            "os",
            "sys",
            "json",
            "asyncio",
            "tomllib",
            "distutils",
            "__future__",
            "urllib2",
            "ConfigParser",
        ] {
            assert!(is_stdlib(m), "{m}");
        }
        for m in ["numpy", "pandas", "requests", "sklearn", "configparser2"] {
            assert!(!is_stdlib(m), "{m}");
        }
    }

    #[test]
    fn import_names_become_index_names() {
        let cases = [
            ("sklearn.linear_model", Some("scikit-learn")),
            ("cv2", Some("opencv-python")),
            ("PIL.Image", Some("pillow")),
            ("yaml", Some("pyyaml")),
            ("bs4", Some("beautifulsoup4")),
            ("skimage.io", Some("scikit-image")),
            ("mpl_toolkits.mplot3d", Some("matplotlib")),
            ("mpl_toolkits.basemap", Some("basemap")),
            ("google.protobuf.message", Some("protobuf")),
            ("numpy", Some("numpy")),
            ("jupyter_ai", Some("jupyter-ai")),
            ("Levenshtein", Some("levenshtein")),
            ("MySQLdb", Some("mysqlclient")),
        ];
        for (import, dist) in cases {
            assert_eq!(distribution(import).as_deref(), dist, "{import}");
        }
    }

    #[test]
    fn namespaces_find_the_distribution_of_the_subpackage() {
        let cases = [
            ("google.cloud.storage.blob", "google-cloud-storage"),
            ("google.auth", "google-auth"),
            ("azure.storage.blob", "azure-storage-blob"),
            ("ruamel.yaml", "ruamel-yaml"),
            ("backports.zoneinfo", "backports-zoneinfo"),
            // pipreqs lists two for `progressbar`: the most downloaded wins.
            ("progressbar", "progressbar2"),
        ];
        for (import, dist) in cases {
            assert_eq!(resolve(import), Resolved::Package(dist.into()), "{import}");
        }
        assert_eq!(
            resolve("google.darwinix_nothing"),
            Resolved::Unknown("google.darwinix_nothing".into())
        );
    }

    #[test]
    fn unknown_generic_and_hosted_names_are_not_installed() {
        for import in ["functions", "myModule", "darwinix_no_such_module_4711"] {
            assert_eq!(
                resolve(import),
                Resolved::Unknown(import.into()),
                "{import}"
            );
        }
        // On the index, but under these names they are someone's helper files.
        assert_eq!(resolve("utils.io"), Resolved::Unknown("utils".into()));
        assert_eq!(resolve("models"), Resolved::Unknown("models".into()));
        assert_eq!(
            resolve("google.colab.drive"),
            Resolved::Hosted("google.colab".into())
        );
        assert_eq!(distribution("google.colab"), None);
    }
}
