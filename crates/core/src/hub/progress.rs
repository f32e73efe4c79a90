//! The hub's spawn progress (`GET …/progress`, Server-Sent Events) as typed events. Pure: bytes
//! go in as they arrive, whole events come out.
//!
//! Each event is `data: {json}` lines ended by a blank line; the hub sends a bare blank line
//! every 8 s to keep the connection open, and may end lines with `\r\n`.

use serde::Deserialize;

/// One step of a spawn, as the hub's spawner tells it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProgressEvent {
    /// 0–100; spawners may leave it out.
    #[serde(default)]
    pub progress: Option<f64>,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub ready: bool,
    #[serde(default)]
    pub failed: bool,
    /// The server's path (`/user/alice/`), on the `ready` event.
    #[serde(default)]
    pub url: Option<String>,
}

impl ProgressEvent {
    /// The spawn is over, one way or the other.
    pub fn is_last(&self) -> bool {
        self.ready || self.failed
    }

    /// `progress` as a whole percentage.
    pub fn percent(&self) -> Option<u32> {
        self.progress
            .filter(|p| p.is_finite())
            .map(|p| p.clamp(0.0, 100.0).round() as u32)
    }
}

/// Collects bytes into lines and lines into events.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes after the last complete line (a chunk may end inside a line, or a UTF-8 character).
    partial: Vec<u8>,
    /// The `data:` lines of the event being read.
    data: Vec<String>,
}

impl SseParser {
    /// The events completed by `chunk`. Data that is not a progress object (a future field
    /// type, a proxy's error page) is skipped rather than ending the spawn.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<ProgressEvent> {
        self.partial.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..end]);
            if let Some(event) = self.line(line.strip_suffix('\r').unwrap_or(&line)) {
                events.push(event);
            }
        }
        events
    }

    fn line(&mut self, line: &str) -> Option<ProgressEvent> {
        if line.is_empty() {
            let data = std::mem::take(&mut self.data).join("\n");
            return (!data.is_empty())
                .then(|| serde_json::from_str(&data).ok())
                .flatten();
        }
        // Other fields (`event:`, `id:`, `retry:`) and `:` comments carry nothing we use.
        if let Some(value) = line.strip_prefix("data:") {
            self.data
                .push(value.strip_prefix(' ').unwrap_or(value).to_string());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = concat!(
        "data: {\"progress\": 0, \"message\": \"Server requested\"}\n\n",
        "\n\n",
        "data: {\"progress\": 50, \"message\": \"Spawning server...\"}\r\n\r\n",
        ": a comment\n",
        "data: {\"progress\": 100, \"ready\": true, \"message\": \"Server ready at /user/alice/\", ",
        "\"html_message\": \"<a>\", \"url\": \"/user/alice/\"}\n\n"
    );

    #[test]
    fn the_hubs_stream_in_any_chunking() {
        for size in [1, 2, 7, STREAM.len()] {
            let mut parser = SseParser::default();
            let events: Vec<ProgressEvent> = STREAM
                .as_bytes()
                .chunks(size)
                .flat_map(|c| parser.push(c))
                .collect();
            let messages: Vec<&str> = events.iter().map(|e| e.message.as_str()).collect();
            assert_eq!(
                messages,
                [
                    "Server requested",
                    "Spawning server...",
                    "Server ready at /user/alice/"
                ],
                "chunks of {size}"
            );
            let last = events.last().unwrap();
            assert!(last.is_last() && last.ready && !last.failed);
            assert_eq!(last.url.as_deref(), Some("/user/alice/"));
            assert_eq!(last.percent(), Some(100));
            assert!(!events[0].is_last());
        }
    }

    #[test]
    fn a_failure_ends_the_spawn() {
        let mut parser = SseParser::default();
        let events = parser.push(
            b"data: {\"progress\": 100, \"failed\": true, \"message\": \"Spawn failed: no\"}\n\n",
        );
        assert!(events[0].failed && events[0].is_last());
    }

    #[test]
    fn split_data_lines_and_odd_values() {
        let mut parser = SseParser::default();
        let events = parser.push(b"data: {\"message\":\ndata: \"two lines\", \"progress\": 33.6}\n\ndata: not json\n\ndata:{\"progress\": null}\n\n");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].message, "two lines");
        assert_eq!(events[0].percent(), Some(34));
        assert_eq!(events[1].percent(), None);
    }

    #[test]
    fn a_character_split_between_chunks_survives() {
        let text = "data: {\"message\": \"Démarrage\"}\n\n".as_bytes();
        let cut = text.iter().position(|&b| b >= 0x80).unwrap() + 1;
        let mut parser = SseParser::default();
        assert!(parser.push(&text[..cut]).is_empty());
        assert_eq!(parser.push(&text[cut..])[0].message, "Démarrage");
    }
}
