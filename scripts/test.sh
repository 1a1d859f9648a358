#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs the whole test suite through ctest; then the
# hostile-input checks of docs/security.md: the unit tests and the hostile corpus again under
# ASan+UBSan (build-asan), and each libFuzzer target for a bounded time (build-fuzz, clang).
#   TRANG_FUZZ_SECONDS=N   seconds per fuzz target (default 45; 0 skips fuzzing)
#   TRANG_SKIP_SANITIZE=1  skip the sanitizer and fuzz stages
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs="$(nproc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${TRANG_SKIP_SANITIZE:-0}" = 1 ]; then exit 0; fi

# One clang build with ASan + UBSan and the fuzzers' coverage instrumentation (build-asan):
# the unit tests and the hostile corpus run under the sanitizers (the end-to-end suites ran
# above), then each libFuzzer target runs for a bounded time on its seed corpus. One build
# instead of two keeps CI well under 15 minutes on two cores. Any sanitizer report, crash,
# leak or fuzz timeout fails.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTRANG_SANITIZE=ON -DTRANG_FUZZ=ON
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs" -E '^e2e\.'

seconds="${TRANG_FUZZ_SECONDS:-45}"
if [ "$seconds" != 0 ]; then
  tests/fuzz/run.sh build-asan "$seconds"
fi
