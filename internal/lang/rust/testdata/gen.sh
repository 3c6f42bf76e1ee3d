#!/usr/bin/env bash
# Regenerates hello-auditable: a real ELF (built by gcc) carrying a
# cargo-auditable .dep-v0 section (zlib-compressed JSON in the
# auditable-serde format), added with objcopy as cargo-auditable's linker
# step would. Needs gcc, objcopy and python3; not run by the tests.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf 'int main(){return 0;}\n' > "$work/m.c"
gcc -Os -o "$work/hello" "$work/m.c"
python3 - "$work/dep.z" <<'PY'
import json, sys, zlib
d = {"packages": [
  {"name": "hello", "version": "0.1.0", "source": "local", "root": True, "dependencies": [1, 2]},
  {"name": "serde", "version": "1.0.193", "source": "crates.io"},
  {"name": "cc", "version": "1.0.83", "source": "crates.io", "kind": "build"},
  {"name": "mygit", "version": "0.2.0", "source": "git"}]}
open(sys.argv[1], "wb").write(zlib.compress(json.dumps(d).encode()))
PY
objcopy --add-section .dep-v0="$work/dep.z" --set-section-flags .dep-v0=noload,readonly "$work/hello" hello-auditable
