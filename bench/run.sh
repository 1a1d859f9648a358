#!/usr/bin/env bash
# The trang benchmark, in one command:
#
#   bench/run.sh [--install-peers] [--runs N] [--batch N] [--batch-runs N] [--peer-batch N]
#                [--own-photos N] [--keep DIR]
#
# Builds trang (Release) into build-bench/, generates the inputs into a temporary folder (the
# sample article, a ~20-page article made of the sample's body repeated with its figures, and
# a batch of 500 variants), renders them, and reports wall time, pages per second, peak RSS and
# output size. When WeasyPrint is installed it renders an equivalent HTML of the same text and
# design (A4, three columns, Noto Serif/Sans, the same photos) in the same run and the report
# gives trang's speed and memory as ratios to it. --install-peers installs WeasyPrint with
# apt-get first (Debian 12 has it); nothing is installed otherwise. CI never runs this.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
install_peers=0
args=()
for a in "$@"; do
  case "$a" in
    --install-peers) install_peers=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

if [ "$install_peers" = 1 ] && ! command -v weasyprint >/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" != 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q weasyprint
fi

build="$root/build-bench"
log="$build.log"
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF &&
       cmake --build "$build" -j"$(nproc)" --target trang; } >"$log" 2>&1; then
  tail -40 "$log" >&2
  echo "bench: the Release build failed (full log: $log)" >&2
  exit 1
fi

exec python3 "$here/bench.py" --trang "$build/trang" --source "$root" "${args[@]}"
