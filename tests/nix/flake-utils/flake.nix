# A stand-in for numtide/flake-utils: `eachDefaultSystem` as it behaves, nothing more.
{
  outputs = { self }: {
    lib = rec {
      defaultSystems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      eachSystem = systems: f:
        builtins.foldl'
          (acc: system:
            let out = f system; in
            acc // builtins.mapAttrs (name: value: (acc.${name} or { }) // { ${system} = value; }) out)
          { }
          systems;
      eachDefaultSystem = eachSystem defaultSystems;
    };
  };
}
