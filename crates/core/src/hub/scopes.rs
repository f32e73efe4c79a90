//! Whether a token may do what Darwinix does with it: read, start and stop the user's own
//! servers. The hub lists the token's scopes, expanded (`servers` brings `read:servers`, …),
//! in its answer to `GET /hub/api/user`.
//!
//! JupyterHub 5 starts servers under `servers`; 6 added `start:servers`. A token made with the
//! scope `servers!user` (or none: it then inherits the user's own) works on both.

/// What Darwinix needs, each with the scopes that allow it.
const NEEDED: [(&str, &[&str]); 3] = [
    ("see your servers", &["read:servers", "servers"]),
    ("start servers", &["start:servers", "servers"]),
    ("stop servers", &["delete:servers", "servers"]),
];

/// What `scopes` (for user `user`) does not allow, in words; empty when all is there.
pub fn missing(scopes: &[String], user: &str) -> Vec<&'static str> {
    NEEDED
        .iter()
        .filter(|(_, any_of)| !scopes.iter().any(|s| allows(s, any_of, user)))
        .map(|(what, _)| *what)
        .collect()
}

/// `scope` is one of `any_of`, for everyone, for the token's own user, or for `user` by name.
fn allows(scope: &str, any_of: &[&str], user: &str) -> bool {
    let (name, filter) = scope.split_once('!').unwrap_or((scope, ""));
    any_of.contains(&name)
        && (filter.is_empty() || filter == "user" || filter.strip_prefix("user=") == Some(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_servers_token_of_either_version_is_enough() {
        // 6.x expands `servers!user=alice` into these.
        let six = scopes(&[
            "read:servers!user=alice",
            "start:servers!user=alice",
            "delete:servers!user=alice",
            "access:servers!user=alice",
        ]);
        assert!(missing(&six, "alice").is_empty());
        let five = scopes(&[
            "servers!user=alice",
            "read:servers!user=alice",
            "delete:servers!user=alice",
        ]);
        assert!(missing(&five, "alice").is_empty());
        assert!(missing(&scopes(&["servers"]), "alice").is_empty());
    }

    #[test]
    fn what_is_missing_is_named() {
        let read_only = scopes(&["read:servers!user=alice", "read:users!user=alice"]);
        assert_eq!(
            missing(&read_only, "alice"),
            ["start servers", "stop servers"]
        );
        let someone_else = scopes(&[
            "servers!user=bob",
            "read:servers!user=bob",
            "delete:servers!user=bob",
        ]);
        assert_eq!(missing(&someone_else, "alice").len(), 3);
        assert_eq!(missing(&[], "alice").len(), 3);
    }
}
