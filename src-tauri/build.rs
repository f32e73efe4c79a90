include!("src/command_names.rs");

fn main() {
    // Declaring the app's commands makes each one a permission that a capability must grant
    // (capabilities/main.json): the window can call these and nothing else of ours.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
