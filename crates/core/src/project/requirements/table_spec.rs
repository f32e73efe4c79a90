//! A package written as a table, as Pipfile and Poetry do: a version, extras and markers, made
//! into one requirements.txt line.

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct TableSpec {
    pub version: Option<String>,
    #[serde(default)]
    pub extras: Vec<String>,
    pub markers: Option<String>,
}

impl TableSpec {
    /// `name[extras]VERSION ; markers`, with `version` the spec's version already written as
    /// PEP 440 by the file's own rules.
    pub fn line(&self, name: &str, version: &str) -> String {
        let extras = match self.extras.is_empty() {
            true => String::new(),
            false => format!("[{}]", self.extras.join(",")),
        };
        let marker = self
            .markers
            .as_ref()
            .map(|m| format!(" ; {m}"))
            .unwrap_or_default();
        format!("{name}{extras}{version}{marker}")
    }
}
