# A stand-in for nixpkgs, so the root flake's logic evaluates offline in CI (nixpkgs cannot be
# downloaded here). Only what flake.nix uses, with stricter checks than the real thing: a set
# where a list belongs fails at once, whatever the condition around it.
{
  outputs = { self }: { };
}
