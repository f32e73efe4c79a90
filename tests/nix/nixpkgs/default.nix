{ system, config ? { } }:
let
  isList = builtins.isList;
  # Every package is a tiny real derivation: forcing a shell's drvPath instantiates them all.
  pkg = name: derivation {
    inherit name system;
    builder = "/bin/sh";
    args = [ "-c" "echo ${name} > $out" ];
  };
  isLinux = builtins.match ".*-linux" system != null;
  isDarwin = builtins.match ".*-darwin" system != null;
  lib = {
    optionals = cond: elems:
      assert builtins.isBool cond;
      assert isList elems || throw "lib.optionals: expected a list, got a ${builtins.typeOf elems}";
      if cond then elems else [ ];
    optionalString = cond: s: assert builtins.isString s; if cond then s else "";
    makeLibraryPath = ps:
      assert isList ps;
      builtins.concatStringsSep ":" (map (p: "${p}/lib") ps);
    cleanSource = src: assert builtins.isPath src; src;
    licenses.mit = { spdxId = "MIT"; };
  };
  mkShell = { packages ? [ ], buildInputs ? [ ], shellHook ? "", ... }:
    assert isList packages || throw "mkShell: packages must be a list";
    assert isList buildInputs || throw "mkShell: buildInputs must be a list";
    assert builtins.isString shellHook;
    (derivation {
      name = "nix-shell";
      inherit system shellHook;
      builder = "/bin/sh";
      args = [ "-c" "echo shell > $out" ];
      packages = packages ++ buildInputs;
    }) // { inherit packages shellHook; };
in
{
  inherit lib mkShell;
  config = config;
  stdenv = { inherit isLinux isDarwin; };
  writeShellScriptBin = name: text:
    assert builtins.isString text;
    pkg name;
  rustPlatform.buildRustPackage = { pname, version, src, cargoLock, ... }@args:
    assert builtins.pathExists cargoLock.lockFile || throw "buildRustPackage: no Cargo.lock";
    assert builtins.pathExists (src + "/Cargo.toml");
    assert isList (args.cargoBuildFlags or [ ]);
    (pkg "${pname}-${version}") // { meta = args.meta or { }; };
  cudaPackages = { cudatoolkit = pkg "cudatoolkit"; cudnn = pkg "cudnn"; };
}
// builtins.listToAttrs (map (name: { inherit name; value = pkg name; }) [
  "python312" "uv" "cargo" "rustc" "clippy" "rustfmt" "nodejs" "pkg-config"
  "webkitgtk_4_1" "gtk3" "libayatana-appindicator" "librsvg" "libsoup_3" "openssl"
])
