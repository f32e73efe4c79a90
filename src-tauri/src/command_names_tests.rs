//! `command_names::COMMANDS` is the list of the app's commands; the three other places that
//! must name the same ones are checked against it here, since a mismatch otherwise shows only
//! at run time, in the window ("command not found" or "not allowed").

use crate::command_names::COMMANDS;

fn sorted(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    names
}

fn expected() -> Vec<String> {
    sorted(COMMANDS.iter().map(|c| c.to_string()))
}

/// The commands a capability grants (`allow-open-project` grants `open_project`).
fn granted(capability: &str) -> Vec<String> {
    let capability: serde_json::Value = serde_json::from_str(capability).unwrap();
    let granted = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"));
    sorted(granted)
}

/// The last segment of every path in `generate_handler![...]`.
fn handled(lib_rs: &str) -> Vec<String> {
    let (_, list) = lib_rs.split_once("generate_handler![").unwrap();
    let (list, _) = list.split_once(']').unwrap();
    let names = list
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.rsplit("::").next().unwrap().to_owned());
    sorted(names)
}

/// The command names of every `invoke("name"` and `invoke<T>("name"` in TypeScript source.
fn invoked(api_ts: &str) -> Vec<String> {
    let names = api_ts.split("invoke").skip(1).filter_map(|after| {
        let after = match after.strip_prefix('<') {
            Some(generic) => generic.split_once('>')?.1,
            None => after,
        };
        let name = after.strip_prefix("(\"")?.split_once('"')?.0;
        Some(name.to_owned())
    });
    sorted(names)
}

#[test]
fn every_command_is_named_once() {
    let mut unique = expected();
    unique.dedup();
    assert_eq!(unique, expected());
}

#[test]
fn the_window_is_granted_every_command_and_nothing_else_of_ours() {
    let capability = include_str!("../capabilities/main.json");
    assert_eq!(granted(capability), expected());
}

#[test]
fn the_app_handles_every_command_and_nothing_else() {
    assert_eq!(handled(include_str!("lib.rs")), expected());
}

#[test]
fn the_window_has_one_wrapper_for_every_command_and_calls_nothing_else() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/api.ts");
    let api_ts = std::fs::read_to_string(path).unwrap();
    assert_eq!(invoked(&api_ts), expected());
}

#[test]
fn the_readers_find_what_a_mismatch_looks_like() {
    let lib_rs = "x.invoke_handler(tauri::generate_handler![\n a::home,\n b::c::servers,\n])";
    assert_eq!(handled(lib_rs), ["home", "servers"]);
    let api_ts =
        r#"import { invoke } from "x"; invoke<Found | null>("packages_found", {}); invoke("home")"#;
    assert_eq!(invoked(api_ts), ["home", "packages_found"]);
    let capability = r#"{"permissions": ["core:event:allow-listen", "allow-open-project"]}"#;
    assert_eq!(granted(capability), ["open_project"]);
}
