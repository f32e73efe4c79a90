#!/usr/bin/env bash
# Checks the root flake.nix without the network: it must parse, and every output must evaluate
# (down to its derivations) for Linux and macOS with nixpkgs and flake-utils replaced by the
# stand-ins next to this script. A broken attribute, or a set where a list belongs, fails here.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$PWD/tests/nix
nix=(nix --extra-experimental-features 'nix-command flakes')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Nix's notes about the overridden inputs and a dirty tree are noise here; errors are shown.
eval_flake() {
  "${nix[@]}" eval --offline --no-write-lock-file \
    --override-input nixpkgs "path:$here/nixpkgs" \
    --override-input flake-utils "path:$here/flake-utils" "$@" 2>"$log" || { grep -v '^warning\|^•\|^    .path:' "$log" >&2; return 1; }
}
fail() { echo "flake check: $*" >&2; exit 1; }

nix-instantiate --parse flake.nix >/dev/null
# git+file flakes only see tracked files: evaluate what is committed plus what is staged.
flake="git+file://$PWD"
[ -d .git ] || flake="path:$PWD"

for system in x86_64-linux aarch64-linux x86_64-darwin aarch64-darwin; do
  for out in devShells.$system.default devShells.$system.cuda devShells.$system.app packages.$system.darwinix packages.$system.default; do
    eval_flake --raw "$flake#$out.drvPath" >/dev/null || fail "$out does not evaluate"
  done
done

names() { eval_flake --json "$flake#devShells.$1.$2.packages" --apply 'map (p: p.name)'; }
[[ $(names x86_64-linux cuda) == *cudatoolkit* ]] || fail "the cuda shell on Linux lacks the CUDA toolkit"
[[ $(names aarch64-darwin cuda) != *cudatoolkit* ]] || fail "macOS got CUDA"
# A pure evaluation cannot see a driver: the default shell has no CUDA.
[[ $(names x86_64-linux default) != *cudatoolkit* ]] || fail "the default shell has CUDA without a driver check"
for p in python312 uv darwinix start stop; do
  [[ $(names x86_64-linux default) == *"\"$p"* ]] || fail "the default shell lacks $p"
done
[[ $(names x86_64-linux app) == *webkitgtk_4_1* ]] || fail "the app shell on Linux lacks WebKitGTK"
[[ $(names aarch64-darwin app) != *webkitgtk* ]] || fail "the app shell on macOS has WebKitGTK"
hook=$(eval_flake --raw "$flake#devShells.x86_64-linux.default.shellHook")
[[ $hook == *"darwinix setup ."* ]] || fail "entering the shell does not run darwinix setup"
echo "flake.nix: parses; 20 outputs evaluate offline for 4 systems; CUDA only on Linux, as a list"
