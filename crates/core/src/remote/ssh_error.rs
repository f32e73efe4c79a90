//! What went wrong with `ssh`, read from what it printed (it exits with 255 for all of them),
//! and what the user can do about it (the family of [`crate::hints::hint`] for `Error::Ssh`).

use crate::error::SshProblem;

/// Classifies `stderr` of a failed `ssh` (lines end in `\r\n` there).
pub fn classify(stderr: &str) -> SshProblem {
    let has = |s: &str| stderr.contains(s);
    if has("REMOTE HOST IDENTIFICATION HAS CHANGED") || has("has changed and you have requested") {
        SshProblem::ChangedHostKey
    } else if has("Host key verification failed") || has("No ED25519 host key is known") {
        SshProblem::UnknownHostKey
    } else if has("Permission denied") || has("Too many authentication failures") {
        SshProblem::KeyRefused
    } else if has("Could not resolve hostname") {
        SshProblem::UnknownHost
    } else if has("Connection refused")
        || has("Connection timed out")
        || has("No route to host")
        || has("Network is unreachable")
        || has("Connection closed by")
        || has("Connection reset")
        || has("banner exchange")
    {
        SshProblem::Unreachable
    } else {
        SshProblem::Other
    }
}

/// The lines of `stderr` worth showing: ssh's own, without blank lines and `\r`.
pub fn detail(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| l.trim_end_matches('\r').trim())
        .filter(|l| !l.is_empty() && !l.starts_with("@@@"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What to do, in the window's words (the CLI adds the commands to type).
pub fn hint(problem: SshProblem, host: &str) -> String {
    match problem {
        SshProblem::UnknownHostKey => format!("this computer does not know {host}'s key yet: connect to it once with your usual SSH program (or terminal) and confirm its fingerprint, then press Test connection again"),
        SshProblem::ChangedHostKey => format!("{host}'s key is not the one this computer knows: ask whoever runs {host} whether it was reinstalled; only then remove the old key from your known hosts"),
        SshProblem::KeyRefused => format!("{host} did not accept any of your SSH keys: add your public key to the remote account (or load your key into your SSH agent), then press Test connection again"),
        SshProblem::Unreachable => format!("check the host name and port, that {host} is switched on and its SSH server is running, and your network (VPN)"),
        SshProblem::UnknownHost => format!("check the spelling of {host}, or your network (VPN)"),
        SshProblem::NoClient => "install OpenSSH's client (ssh) on this computer".into(),
        SshProblem::Other => "Show details has what ssh said".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_messages_map_to_what_the_user_can_do() {
        for (stderr, problem) in [
            ("Host key verification failed.\r\n", SshProblem::UnknownHostKey),
            ("No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n", SshProblem::UnknownHostKey),
            ("@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\nHost key verification failed.\r\n", SshProblem::ChangedHostKey),
            ("me@127.0.0.1: Permission denied (publickey).\r\n", SshProblem::KeyRefused),
            ("ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n", SshProblem::Unreachable),
            ("ssh: Could not resolve hostname nope: Name or service not known\r\n", SshProblem::UnknownHost),
            ("Connection timed out during banner exchange\r\n", SshProblem::Unreachable),
            ("mux_client_forward: forwarding request failed\r\n", SshProblem::Other),
        ] {
            assert_eq!(classify(stderr), problem, "{stderr}");
        }
    }

    #[test]
    fn details_drop_the_banner_frame_and_carriage_returns() {
        let text = "@@@@\r\n@ WARNING @\r\n\r\nHost key verification failed.\r\n";
        assert_eq!(detail(text), "@ WARNING @\nHost key verification failed.");
    }

    #[test]
    fn hints_name_the_host_and_no_command() {
        for problem in [
            SshProblem::UnknownHostKey,
            SshProblem::ChangedHostKey,
            SshProblem::KeyRefused,
            SshProblem::Unreachable,
            SshProblem::UnknownHost,
        ] {
            let hint = hint(problem, "lab");
            assert!(hint.contains("lab"), "{hint}");
            assert!(!hint.contains("ssh-"), "{hint}");
        }
    }
}
