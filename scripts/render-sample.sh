#!/usr/bin/env bash
# Sets up (Debian packages), builds trang, and renders the sample article with the built-in
# default stylesheet to can-tho.pdf (or the path given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-can-tho.pdf}"
./scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)" --target trang
./build/trang render samples/can-tho/article.xml -o "$out"
echo "wrote $out"
