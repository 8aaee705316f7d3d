#!/usr/bin/env bash
# Packs plugin.json, the server executables and the webapp bundle into
# dist/<id>-<version>.tar.gz, the file Mattermost accepts as a plugin upload.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
id=$(go run ./build/manifest id)
version=$(go run ./build/manifest version)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$id/server" "$stage/$id/webapp/dist" dist
cp plugin.json "$stage/$id/"
cp -r server/dist "$stage/$id/server/"
cp webapp/dist/main.js "$stage/$id/webapp/dist/"
tar -C "$stage" -czf "dist/$id-$version.tar.gz" "$id"
echo "dist/$id-$version.tar.gz"
