//! Extra JupyterLab arguments from the settings. Traitlets lets a later argument override an
//! earlier one, so anything that could undo Darwinix's lockdown (address, token, XSRF, who may
//! connect) is refused before the server starts.

use crate::error::{Error, Result};

/// Option names that only Darwinix sets: the part after the last dot, lower case, without `_`
/// and `-` (traitlets' names and their command-line aliases spell them both ways).
const RESERVED: &[(&str, &str)] = &[
    ("ip", LOOPBACK),
    ("sock", LOOPBACK),
    ("allowremoteaccess", LOOPBACK),
    ("alloworigin", ORIGINS),
    ("alloworiginpat", ORIGINS),
    ("allowcredentials", ORIGINS),
    ("token", TOKEN),
    ("password", TOKEN),
    ("passwordrequired", TOKEN),
    ("identityproviderclass", TOKEN),
    ("authorizerclass", TOKEN),
    ("loginhandlerclass", TOKEN),
    ("allowunauthenticatedaccess", TOKEN),
    ("disablecheckxsrf", "cross-site request checks stay on"),
    ("rootdir", FOLDER),
    ("notebookdir", FOLDER),
    ("port", PORT),
    // The server must fail on a taken port, not move to another one silently.
    ("portretries", PORT),
    ("openbrowser", "Darwinix opens the browser itself"),
];
const LOOPBACK: &str = "the server only ever listens on 127.0.0.1, for this computer alone";
const ORIGINS: &str = "other web pages must not reach the server";
const TOKEN: &str = "every request must carry the server's own secret token";
const FOLDER: &str = "the server's folder is the project's folder";
const PORT: &str = "Darwinix picks a free port itself";

/// Checks every argument; the first refused one is the error.
pub fn check(args: &[String]) -> Result<()> {
    args.iter().try_for_each(|arg| check_one(arg))
}

fn reserved(name: &str) -> Option<&'static str> {
    RESERVED
        .iter()
        .find(|(r, _)| *r == name)
        .map(|(_, why)| *why)
}

fn check_one(arg: &str) -> Result<()> {
    let refuse = |why| {
        Err(Error::UnsafeServerArg {
            arg: arg.to_owned(),
            why,
        })
    };
    let Some(option) = arg.strip_prefix("--") else {
        return refuse("only `--Name=value` options are accepted");
    };
    let key = option.split('=').next().unwrap_or_default();
    if key.is_empty() {
        return refuse("only `--Name=value` options are accepted");
    }
    let name: String = key
        .rsplit('.')
        .next()
        .unwrap_or(key)
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // A `--no-…` flag names the same setting as its positive twin.
    let why = reserved(&name).or_else(|| name.strip_prefix("no").and_then(reserved));
    match why {
        Some(why) => refuse(why),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(arg: &str) -> bool {
        check(&[arg.to_owned()]).is_ok()
    }

    #[test]
    fn harmless_options_pass() {
        assert!(allowed("--ServerApp.max_buffer_size=1000000000"));
        assert!(allowed("--LabApp.collaborative=True"));
        assert!(allowed("--ServerApp.iopub_data_rate_limit=1e10"));
        assert!(allowed("--no-browser"), "what Darwinix wants anyway");
        assert!(check(&[]).is_ok());
    }

    #[test]
    fn anything_that_loosens_the_lockdown_is_refused() {
        // Kept in a fixture: these are exactly the arguments that must never reach JupyterLab.
        let refused = include_str!("../../../../tests/fixtures/unsafe-server-args.txt");
        for arg in refused.lines() {
            let err = check(&[arg.to_owned()]).unwrap_err();
            assert!(err.to_string().contains(arg), "{arg}: {err}");
            assert!(
                crate::hints::hint(&err)
                    .unwrap()
                    .contains("Extra server arguments"),
                "{arg}"
            );
        }
    }
}
