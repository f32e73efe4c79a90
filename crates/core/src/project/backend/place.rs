//! Where a project's environment was made and runs: the one spelling of it (`local`, `nix`,
//! `wsl:DISTRO`) that stamps, runtimes and messages share.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::wsl;

/// Where a project runs. Stored in the stamp as its spelling, so the file format is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Place {
    ThisComputer,
    Nix,
    Wsl {
        distro: String,
    },
    /// A stamp written before places were recorded: this computer or its Nix shell.
    Unrecorded,
}

impl Place {
    /// Whether an environment made at `self` (a stamp's place) serves a project that runs at
    /// `now`.
    pub fn serves(&self, now: &Place) -> bool {
        self == now
            || (*self == Place::Unrecorded && matches!(now, Place::ThisComputer | Place::Nix))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::ThisComputer => f.write_str("local"),
            Place::Nix => f.write_str("nix"),
            Place::Wsl { distro } => write!(f, "wsl:{distro}"),
            Place::Unrecorded => f.write_str("auto"),
        }
    }
}

impl TryFrom<String> for Place {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        match text.as_str() {
            "local" => Ok(Place::ThisComputer),
            "nix" => Ok(Place::Nix),
            "auto" => Ok(Place::Unrecorded),
            other => other
                .strip_prefix("wsl:")
                .filter(|d| wsl::valid_distro_name(d))
                .map(|distro| Place::Wsl {
                    distro: distro.to_string(),
                })
                .ok_or_else(|| format!("`{text}` is not a place a project runs")),
        }
    }
}

impl From<Place> for String {
    fn from(place: Place) -> String {
        place.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_reads_back_as_written() {
        let places = [
            Place::ThisComputer,
            Place::Nix,
            Place::Wsl {
                distro: "Ubuntu-22.04".into(),
            },
            Place::Unrecorded,
        ];
        for place in places {
            let json = serde_json::to_string(&place).unwrap();
            assert_eq!(
                serde_json::from_str::<Place>(&json).unwrap(),
                place,
                "{json}"
            );
        }
        assert_eq!(serde_json::to_string(&Place::Nix).unwrap(), "\"nix\"");
        for bad in ["\"\"", "\"wsl:\"", "\"docker\"", "\"wsl:a/b\""] {
            assert!(serde_json::from_str::<Place>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unrecorded_place_was_this_computer_or_nix() {
        let wsl = Place::Wsl {
            distro: "Debian".into(),
        };
        assert!(Place::Unrecorded.serves(&Place::ThisComputer));
        assert!(Place::Unrecorded.serves(&Place::Nix));
        assert!(!Place::Unrecorded.serves(&wsl));
        assert!(!Place::ThisComputer.serves(&Place::Nix));
        assert!(wsl.serves(&wsl.clone()));
    }
}
