#!/usr/bin/env bash
# Refresh the vendored plotly.js from the npm registry: scripts/vendor_plotly.sh 4.1.1
set -euo pipefail
version=${1:?usage: scripts/vendor_plotly.sh VERSION}
dest="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/plotly"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "plotly.js-dist-min@$version" >/dev/null && tar xzf ./*.tgz)
cp "$work/package/plotly.min.js" "$work/package/LICENSE" "$dest/"
sed -i "s/plotly.js [0-9.]* (vendored)/plotly.js $version (vendored)/; s/plotly.js-dist-min@[0-9.]*/plotly.js-dist-min@$version/" "$dest/README.md"
echo "plotly.js $version vendored into $dest"
