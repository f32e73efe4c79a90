//! Reading `netstat -ano -p TCP` (Windows) for the process that listens on a port.

/// The pid listening on `127.0.0.1:port` (or on every address, which takes 127.0.0.1 too).
/// Rows are read by position — protocol, local address, remote address, [state,] pid — as the
/// state's word is translated; a listening row is the one with no remote end (`0.0.0.0:0`).
#[cfg_attr(not(windows), allow(dead_code))]
pub(super) fn owner(netstat: &str, port: u16) -> Option<u32> {
    let wanted = [format!("127.0.0.1:{port}"), format!("0.0.0.0:{port}")];
    netstat.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let listening = words.len() >= 4
            && words[0].eq_ignore_ascii_case("TCP")
            && wanted.iter().any(|w| w == words[1])
            && words[2] == "0.0.0.0:0";
        listening.then(|| words.last()?.parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NETSTAT: &str = "
Active Connections

  Proto  Local Address          Foreign Address        State           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1044
  TCP    127.0.0.1:40001        0.0.0.0:0              ABHÖREN         7312
  TCP    127.0.0.1:40001        127.0.0.1:51234        ESTABLISHED     7312
  TCP    127.0.0.1:51234        127.0.0.1:40001        ESTABLISHED     9999
  TCP    127.0.0.1:4000         0.0.0.0:0              LISTENING       555
";

    #[test]
    fn the_listener_of_the_port_is_found_whatever_the_language() {
        assert_eq!(owner(NETSTAT, 40001), Some(7312));
        assert_eq!(owner(NETSTAT, 135), Some(1044));
        assert_eq!(owner(NETSTAT, 400), None);
        assert_eq!(
            owner(NETSTAT, 51234),
            None,
            "a client's end is not a listener"
        );
    }
}
