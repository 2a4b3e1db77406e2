#!/usr/bin/env bash
# Build the vendored plotly.js: a partial bundle with only the trace types the portal draws
# (plotly.js's documented way: lib/core plus Plotly.register of the traces), bundled with esbuild
# from the npm registry. Usage: scripts/vendor_plotly.sh 4.1.1
# Traces: bar, scatter (in core), heatmap, funnel (charts), scattergeo, choropleth (the map of
# China); the zh-CN locale. A chart of another type would not draw: add its module below.
set -euo pipefail
version=${1:?usage: scripts/vendor_plotly.sh VERSION}
esbuild_version=0.25.0
dest="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/plotly"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts -E "plotly.js@$version" "esbuild@$esbuild_version" >/dev/null
cat > entry.js <<'JS'
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'), require('plotly.js/lib/funnel'),
  require('plotly.js/lib/scattergeo'), require('plotly.js/lib/choropleth'),
  require('plotly.js/lib/locales/zh-cn')
]);
module.exports = Plotly;
JS
{ printf '/**\n* plotly.js v%s, partial bundle (bar, scatter, heatmap, funnel, scattergeo, choropleth; zh-CN)\n* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license\n*/\n' "$version"
  node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window \
    --log-level=error --outdir=out >/dev/null && cat out/entry.js; } > plotly.min.js
cp plotly.min.js "$dest/plotly.min.js"
cp node_modules/plotly.js/LICENSE "$dest/LICENSE"
sed -i "s/plotly.js [0-9.]* (vendored[^)]*)/plotly.js $version (vendored, partial bundle)/; s/plotly.js@[0-9.]*/plotly.js@$version/" "$dest/README.md"
echo "plotly.js $version (partial bundle, $(wc -c < "$dest/plotly.min.js") bytes) vendored into $dest"
