#!/usr/bin/env bash
# Build the vendored plotly.js: partial bundles with only the trace types the portal draws
# (plotly.js's documented way: lib/core plus Plotly.register of the traces), bundled with esbuild
# from the npm registry as ES modules split in two, so that a page without a map never downloads
# nor runs the geographic code. Usage: scripts/vendor_plotly.sh 4.1.1
#   plotly-basic.js  bar, scatter (in core), heatmap, funnel; the zh-CN locale (charts)
#   plotly-geo.js    plotly-basic plus scattergeo and choropleth (the map of China)
#   plotly-core.js   the code both share (esbuild's chunk), loaded once by either
# Each imports plotly-core.js with its content fingerprint (?v=, as consortium/core/assets.py
# computes it), so every file is cached for a year and a new build is a new URL.
# A chart of another type would not draw: add its module below.
set -euo pipefail
version=${1:?usage: scripts/vendor_plotly.sh VERSION}
esbuild_version=0.25.0
dest="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/plotly"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts -E "plotly.js@$version" "esbuild@$esbuild_version" >/dev/null
cat > plotly-basic.js <<'JS'
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'), require('plotly.js/lib/funnel'),
  require('plotly.js/lib/locales/zh-cn')
]);
export default Plotly;
JS
cat > plotly-geo.js <<'JS'
import Plotly from './plotly-basic.js';
Plotly.register([require('plotly.js/lib/scattergeo'), require('plotly.js/lib/choropleth')]);
export default Plotly;
JS
node_modules/.bin/esbuild plotly-basic.js plotly-geo.js --bundle --minify --format=esm --splitting \
  --define:global=window --log-level=error --entry-names='[name]' --chunk-names=plotly-core --outdir=out >/dev/null
banner=$(printf '/**\n* plotly.js v%s, partial bundle (%%s)\n* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license\n*/\n' "$version")
{ printf "$banner\n" "shared code"; cat out/plotly-core.js; } > "$dest/plotly-core.js"
core_v=$(sha256sum "$dest/plotly-core.js" | cut -c1-12)
for name in basic geo; do
  traces=$([ "$name" = basic ] && echo "bar, scatter, heatmap, funnel; zh-CN" || echo "basic plus scattergeo, choropleth")
  { printf "$banner\n" "$traces"; sed "s#\"./plotly-core.js\"#\"./plotly-core.js?v=$core_v\"#g" "out/plotly-$name.js"; } \
    > "$dest/plotly-$name.js"
  grep -q "plotly-core.js?v=$core_v" "$dest/plotly-$name.js"
done
rm -f "$dest/plotly.min.js"
cp node_modules/plotly.js/LICENSE "$dest/LICENSE"
sed -i "s/plotly.js [0-9.]* (vendored[^)]*)/plotly.js $version (vendored, partial bundles)/; s/plotly.js@[0-9.]*/plotly.js@$version/" "$dest/README.md"
echo "plotly.js $version vendored into $dest:"
wc -c "$dest"/plotly-*.js
