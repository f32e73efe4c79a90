//! What this computer is and has: OS, resources, Nix, WSL, GPU, and the user's real `PATH`.

pub mod gpu;
pub mod nix;
pub mod nix_env;
pub mod os;
pub mod resources;
pub mod shell_env;
pub mod wsl;
