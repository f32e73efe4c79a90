//! What reached a test hub: its access log (JupyterHub logs every API request it answers,
//! successes included), read between two marks the test itself puts there.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::fixtures::{http, Hub};

/// A place in the hub's log: every request answered before the mark was made is logged above it.
pub struct Mark(usize);

impl Hub {
    /// Sends the hub a request of the test's own and waits until its log shows it.
    pub fn mark(&self) -> Mark {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let tag = format!("darwinix-test-mark={}", NEXT.fetch_add(1, Ordering::SeqCst));
        let (status, _, _) = http("GET", &format!("{}hub/api/?{tag}", self.url()), None, None);
        assert_eq!(status, 200, "the hub did not answer the test's own request");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if let Some(at) = log.find(&tag) {
                return Mark(log[at..].find('\n').map_or(log.len(), |n| at + n));
            }
            assert!(
                Instant::now() < deadline,
                "the hub never logged {tag}:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every API request the hub answered since `mark`, the test's marks left out.
    pub fn api_requests_since(&self, mark: &Mark) -> Vec<String> {
        let end = self.mark().0;
        self.log()[mark.0..end]
            .lines()
            .filter(|l| l.contains("/hub/api") && !l.contains("darwinix-test-mark="))
            .map(str::to_string)
            .collect()
    }
}
