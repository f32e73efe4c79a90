//! Extra JupyterLab arguments from the settings. Traitlets lets a later argument override an
//! earlier one, so anything that could undo Darwinix's lockdown (address, token, XSRF, who may
//! connect) is refused before the server starts.

use crate::error::{Error, Result};

/// Option names (the part after the last dot, lower case) that only Darwinix sets.
const RESERVED: &[(&str, &str)] = &[
    ("ip", "the server only ever listens on 127.0.0.1"),
    ("sock", "the server only ever listens on 127.0.0.1"),
    (
        "allow_remote_access",
        "the server only accepts this computer",
    ),
    ("allow_origin", "other web pages must not reach the server"),
    (
        "allow_origin_pat",
        "other web pages must not reach the server",
    ),
    (
        "allow_credentials",
        "other web pages must not reach the server",
    ),
    ("token", "Darwinix gives every server its own secret token"),
    (
        "password",
        "Darwinix gives every server its own secret token",
    ),
    (
        "password_required",
        "Darwinix gives every server its own secret token",
    ),
    (
        "identity_provider_class",
        "Darwinix gives every server its own secret token",
    ),
    (
        "authorizer_class",
        "Darwinix gives every server its own secret token",
    ),
    (
        "login_handler_class",
        "Darwinix gives every server its own secret token",
    ),
    (
        "allow_unauthenticated_access",
        "every request must carry the token",
    ),
    ("disable_check_xsrf", "cross-site request checks stay on"),
    ("root_dir", "the server's folder is the project's folder"),
    (
        "notebook_dir",
        "the server's folder is the project's folder",
    ),
    ("port", "Darwinix picks a free port itself"),
    ("open_browser", "Darwinix opens the browser itself"),
];

/// Checks every argument; the first refused one is the error.
pub fn check(args: &[String]) -> Result<()> {
    args.iter().try_for_each(|arg| check_one(arg))
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
    let name = key.rsplit('.').next().unwrap_or(key);
    let name = name.to_ascii_lowercase().replace('-', "_");
    // `--no-browser`-style flags and their negations name the same setting.
    let name = name.strip_prefix("no_").unwrap_or(&name);
    match RESERVED.iter().find(|(reserved, _)| *reserved == name) {
        Some((_, why)) => refuse(why),
        None if key.is_empty() => refuse("only `--Name=value` options are accepted"),
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
        for arg in [
            "--ServerApp.ip=0.0.0.0",
            "--ip=0.0.0.0",
            "--NotebookApp.ip=*",
            "--ServerApp.token=",
            "--IdentityProvider.token=abc",
            "--ServerApp.disable_check_xsrf=True",
            "--ServerApp.DISABLE_CHECK_XSRF=True",
            "--ServerApp.allow_origin=*",
            "--ServerApp.allow-remote-access=True",
            "--ServerApp.root_dir=/",
            "--port=8888",
            "--ServerApp.sock=/tmp/s",
            "lab.ipynb",
            "--",
            "--=x",
        ] {
            let err = check(&[arg.to_owned()]).unwrap_err();
            assert!(err.to_string().contains(arg), "{arg}: {err}");
            assert!(
                err.hint().unwrap().contains("Extra server arguments"),
                "{arg}"
            );
        }
    }
}
