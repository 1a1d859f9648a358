#!/usr/bin/env bash
# Installs every Debian package trang needs to build, render and test.
# Idempotent: run it as often as you like. Needs root (or sudo) for apt-get.
set -euo pipefail

packages=(
  # toolchain
  cmake g++ make pkg-config
  # engine libraries
  libharfbuzz-dev libfreetype-dev libhpdf-dev libpugixml-dev libicu-dev
  libpng-dev libjpeg62-turbo-dev zlib1g-dev libcli11-dev
  # Flate compression of streams (faster than zlib for whole buffers)
  libdeflate-dev
  # XXH3: content keys of photos (core's hash128)
  libxxhash-dev
  # mimalloc: the allocator `trang batch` runs on (engine/cli/cmd_batch.cpp)
  libmimalloc2.0
  # print/archive profiles: colour management (lcms2) and the preflight report (JSON)
  liblcms2-dev nlohmann-json3-dev
  # hyphenation: libhyphen and the patterns for languages other than Vietnamese
  libhyphen-dev hyphen-en-us
  # fonts the default stylesheet uses
  fonts-noto-core
  # tests: GoogleTest, poppler's tools, qpdf, python for the helper scripts
  libgtest-dev googletest poppler-utils qpdf python3 libxml2-utils ghostscript
  # tests: the other text readers word spaces must survive (tests/e2e/test_spaces.py)
  mupdf-tools python3-pdfminer
  # tests: reading the structure tree of tagged PDF (tests/e2e/test_tagged.py)
  python3-pikepdf
  # hostile-input tests and fuzzing (docs/security.md): strace, clang with libFuzzer
  strace clang libclang-rt-14-dev
)

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
