# Darwinix for Nix users: the successor of the Darwinix flake template.
#
#   nix develop              Python, uv and the `darwinix` CLI; entering runs `darwinix setup`,
#                            which creates or updates .venv only when requirements.txt (or the
#                            lock, the Python, the installer) changed, then activates it.
#   start / stop             `darwinix start` / `darwinix stop`: JupyterLab on 127.0.0.1, a free
#                            port, a secret token, XSRF checks on.
#   nix develop .#app        everything to build the desktop app (Rust, Node, WebKitGTK on Linux)
#   nix build .#darwinix     the CLI
#
# CUDA: `nix develop --impure` on Linux with an NVIDIA driver adds the CUDA toolkit (a pure
# evaluation cannot look at the machine); `nix develop .#cuda` adds it unconditionally.
{
  description = "Darwinix: one-button JupyterLab — dev shell with Python, uv and the darwinix CLI";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs {
          inherit system;
          # CUDA is unfree.
          config.allowUnfree = true;
        };
        lib = pkgs.lib;
        isLinux = pkgs.stdenv.isLinux;

        # Only an impure evaluation may look at the machine; a pure one assumes no driver.
        impure = builtins ? currentSystem;
        hasNvidiaDriver = impure && builtins.pathExists "/proc/driver/nvidia/version";

        # A list, always: `optionals` of a list, never of the `cudaPackages` set.
        cudaInputs = with pkgs; [ cudaPackages.cudatoolkit cudaPackages.cudnn ];
        cudaFor = wanted: lib.optionals (isLinux && wanted) cudaInputs;

        python = pkgs.python312;

        darwinix = pkgs.rustPlatform.buildRustPackage {
          pname = "darwinix";
          version = "0.1.0";
          src = lib.cleanSource ./.;
          cargoLock.lockFile = ./Cargo.lock;
          cargoBuildFlags = [ "-p" "darwinix-cli" ];
          # The tests need the network (PyPI) and real Pythons.
          doCheck = false;
          meta = {
            description = "Start JupyterLab for a project folder, safely, with one command";
            mainProgram = "darwinix";
            license = lib.licenses.mit;
          };
        };

        start = pkgs.writeShellScriptBin "start" ''exec darwinix start "$@"'';
        stop = pkgs.writeShellScriptBin "stop" ''exec darwinix stop "$@"'';

        notebookShell = withCuda: pkgs.mkShell {
          packages = [ python pkgs.uv darwinix start stop ] ++ cudaFor withCuda;
          shellHook = ''
            # The flake's Python builds .venv; `darwinix setup` skips all work when nothing changed.
            export DARWINIX_PYTHON_SEARCH_PATH="${python}/bin:${pkgs.uv}/bin"
            if [ -f requirements.txt ]; then
              darwinix setup . || echo "darwinix setup failed; fix the error above, then run: darwinix setup ."
            fi
            if [ -f .venv/bin/activate ]; then
              . .venv/bin/activate
            fi
            ${lib.optionalString (isLinux && withCuda) ''
              export CUDA_HOME=${pkgs.cudaPackages.cudatoolkit}
              export LD_LIBRARY_PATH=/run/opengl-driver/lib:${lib.makeLibraryPath cudaInputs}''${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
            ''}
            echo "JupyterLab: start | stop   (darwinix --help for more)"
          '';
        };

        appShell = pkgs.mkShell {
          packages = with pkgs; [ cargo rustc clippy rustfmt nodejs pkg-config python uv ]
            ++ lib.optionals isLinux [
              webkitgtk_4_1
              gtk3
              libayatana-appindicator
              librsvg
              libsoup_3
              openssl
            ];
        };
      in
      {
        packages = {
          inherit darwinix;
          default = darwinix;
        };
        devShells = {
          default = notebookShell hasNvidiaDriver;
          cuda = notebookShell true;
          app = appShell;
        };
      });
}
