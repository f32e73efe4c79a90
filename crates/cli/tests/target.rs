//! What a command acts on when no folder is given: the project of the current folder or of the
//! nearest folder above it, as git and uv find theirs, else the default project — said, with
//! the folder looked in. And the next steps `start` prints, which work from where the user is.
//! Real servers (the shared JupyterLab runtime), real CLI.
#![cfg(target_os = "linux")]

use std::path::Path;

use darwinix_testkit::{json, TestContext};

fn said(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn commands_in_a_sub_folder_act_on_its_project() {
    let world = TestContext::new();
    let project = world.project("thesis", "");
    let sub = project.join("figures/2024");
    std::fs::create_dir_all(&sub).unwrap();
    let server = world.start_json(&project, &[]);
    let inside = TestContext::new().with_cwd(&sub);
    // The same home as `world`: the context's commands take their home from the environment.
    let inside = inside.with_env("DARWINIX_HOME", world.home());

    let out = inside.run(["open", "--print-url"]);
    assert!(out.status.success(), "{}", said(&out));
    let url = String::from_utf8_lossy(&out.stdout);
    let port = server["port"].as_u64().unwrap();
    assert!(url.contains(&format!("127.0.0.1:{port}")), "{url}");
    assert!(
        url.contains("token="),
        "open --print-url gives the signed-in address"
    );

    let out = inside.run(["logs"]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Jupyter"),
        "the project's server log: {}",
        said(&out)
    );

    let out = inside.run(["packages", "--json"]);
    assert!(out.status.success(), "{}", said(&out));
    let listed = json(&out.stdout);
    assert!(
        listed["source"].to_string().contains("requirements.txt"),
        "the project's packages: {listed}"
    );

    let out = inside.run(["stop"]);
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("Stopped the server of {}.", project.display()),
        "stop from a sub-folder stops that project's server"
    );
    assert!(world.servers().is_empty(), "{:?}", world.servers());
}

#[test]
fn outside_any_project_the_default_project_is_used_and_the_folder_looked_in_said() {
    let world = TestContext::new();
    let elsewhere = world.folder("elsewhere/deeper", &[]);
    let there = TestContext::new()
        .with_cwd(&elsewhere)
        .with_env("DARWINIX_HOME", world.home());
    let out = there.run(["stop"]);
    assert!(out.status.success(), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("No project in {}", elsewhere.display()))
            && err.contains("using your default project"),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("No server is running for"), "{stdout}");
    assert!(
        !world
            .home()
            .join("projects/Darwinix/requirements.txt")
            .exists(),
        "stop never creates the default project"
    );
}

#[test]
fn next_steps_name_the_folder_that_was_named() {
    let world = TestContext::new();
    let project = world.project("my thesis", "");
    let out = world.start(&project, &[]);
    assert!(out.status.success(), "{}", said(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let quoted = format!("'{}'", project.display());
    assert!(
        stdout.contains(&format!("Stop it with `darwinix stop {quoted}`"))
            && stdout.contains(&format!("`darwinix open {quoted}` opens it again")),
        "{stdout}"
    );
    world.stop(&project);

    let from_inside = TestContext::new()
        .with_cwd(&project)
        .with_env("DARWINIX_HOME", world.home());
    let out = from_inside.run(["start", "--no-browser"]);
    assert!(out.status.success(), "{}", said(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Stop it with `darwinix stop`;"),
        "found from the current folder, the bare command works: {stdout}"
    );
    world.stop(&project);
}

#[test]
fn a_project_set_up_from_the_cli_is_known_to_disk() {
    let world = TestContext::new();
    let project = world.project("from the cli", "");
    let out = world.run([Path::new("setup").as_os_str(), project.as_os_str()]);
    assert!(out.status.success(), "{}", said(&out));
    let disk = world.ok_json(["disk", "--json"]);
    let dirs: Vec<String> = disk["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["dir"].as_str().unwrap().to_string())
        .collect();
    assert!(
        dirs.contains(&project.display().to_string()),
        "disk lists the project set up from the CLI: {dirs:?}"
    );
}
