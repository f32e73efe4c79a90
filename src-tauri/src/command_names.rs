/// Every command the window may call; `build.rs` turns each into a permission.
pub const COMMANDS: &[&str] = &[
    "home",
    "open_project",
    "new_project",
    "start_notebook",
    "servers",
    "open_server",
    "server_link",
    "stop_server",
    "restart_server",
    "server_log",
    "doctor",
    "get_settings",
    "save_settings",
    "project_settings",
    "set_backend",
    "make_gpu_ready",
];
