//! A forward from this computer's 127.0.0.1 to the remote's, as ssh is told it.

use crate::error::{Error, Result};

/// A local port forwarded to a port on the remote, both on 127.0.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub local: u16,
    pub remote: u16,
}

impl Forward {
    pub(crate) fn spec(self) -> String {
        format!("127.0.0.1:{}:127.0.0.1:{}", self.local, self.remote)
    }
}

/// A port on 127.0.0.1 that is free now (ssh cannot pick one itself for `-L`).
pub fn free_local_port() -> Result<u16> {
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|source| Error::Spawn {
            program: "ssh".into(),
            source,
        })?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|source| Error::Spawn {
            program: "ssh".into(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_are_written_the_way_ssh_reads_them() {
        let f = Forward {
            local: 40001,
            remote: 8888,
        };
        assert_eq!(f.spec(), "127.0.0.1:40001:127.0.0.1:8888");
    }
}
