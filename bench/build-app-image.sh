#!/usr/bin/env bash
# Builds an application image for the language-ecosystem benchmark: the
# Debian base layer of ../shared/bench/build-images.sh (run it first) plus
# an application layer with real artifacts of every ecosystem shipshape
# reads in images:
#   npm      a node_modules tree installed with npm from the registry
#   Go       real binaries (shipshape built here; crane and syft if installed)
#   Python   Debian's python3-requests and friends, unpacked (dist-packages)
#   Java     Debian's commons-lang3, guava, log4j2, jackson jars, unpacked
#   Ruby     Debian's ruby-rack gems, unpacked (rubygems-integration gemspecs)
#   Rust     a binary with a cargo-auditable section (test fixture)
#   PHP/.NET Composer installed.json and an app's deps.json
# Needs: npm, apt-get, crane, go. Output: $W/images/app.tar (docker-archive).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
W=${W:-$HOME/.cache/shipshape-bench}
B=$W/build/app
base=$W/build/base.tar.gz
[ -f "$base" ] || { echo "missing $base: run ../shared/bench/build-images.sh small first" >&2; exit 1; }
export PATH=$PATH:$HOME/go/bin
rm -rf "$B"; mkdir -p "$B/rootfs/app" "$B/debs" "$B/rootfs/usr/local/bin"
R=$B/rootfs

echo "npm install" >&2
( cd "$R/app" && echo '{"name":"bench-app","version":"1.0.0","private":true}' > package.json &&
  npm install --no-audit --no-fund --loglevel=error express@4.18.2 lodash@4.17.21 react@18.2.0 \
    @babel/core@7.23.3 axios@1.6.2 moment@2.29.4 >&2 )

echo "Go binaries" >&2
( cd "$here" && go build -trimpath -o "$R/usr/local/bin/shipshape" ./examples/shipshape )
for b in crane syft; do command -v $b >/dev/null && cp "$(command -v $b)" "$R/usr/local/bin/$b"; done

echo "Debian packages (unpacked)" >&2
( cd "$B/debs" && apt-get download python3-requests python3-urllib3 python3-idna python3-certifi \
    python3-chardet python3-charset-normalizer libcommons-lang3-java libguava-java liblog4j2-java \
    libjackson2-databind-java libjackson2-core-java ruby-rack ruby-rack-test >&2 )
for d in "$B"/debs/*.deb; do dpkg -x "$d" "$R"; done

cp "$here/internal/lang/rust/testdata/hello-auditable" "$R/usr/local/bin/hello"
mkdir -p "$R/var/www/vendor/composer"
cat > "$R/var/www/vendor/composer/installed.json" <<'JSON'
{"packages": [
  {"name": "guzzlehttp/guzzle", "version": "7.8.0", "type": "library", "license": ["MIT"]},
  {"name": "monolog/monolog", "version": "3.5.0", "type": "library", "license": ["MIT"]},
  {"name": "symfony/http-foundation", "version": "v6.3.7", "type": "library", "license": ["MIT"]}
], "dev": false, "dev-package-names": []}
JSON
cat > "$R/app/App.deps.json" <<'JSON'
{"runtimeTarget": {"name": ".NETCoreApp,Version=v8.0"}, "libraries": {
  "App/1.0.0": {"type": "project"},
  "Newtonsoft.Json/13.0.1": {"type": "package", "path": "newtonsoft.json/13.0.1"},
  "Serilog/3.1.1": {"type": "package", "path": "serilog/3.1.1"}}}
JSON

echo "image" >&2
tar -C "$R" --numeric-owner --sort=name -cf - . | gzip -n -6 > "$B/app.tar.gz"
mkdir -p "$W/images"
crane append -f "$base" -f "$B/app.tar.gz" -t corpus/app:latest -o "$W/images/app.tar" >&2
ls -l "$W/images/app.tar" >&2
