#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time on its seed corpus; fails on the first crash,
# leak, timeout or out-of-memory (libFuzzer exits non-zero and leaves crash-* files).
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# BUILD_DIR was configured with clang and -DTRANG_FUZZ=ON (scripts/test.sh does this).
# New inputs that reach new code are kept in BUILD_DIR/fuzz-corpus/<target>, so a longer local
# run resumes where the last one stopped. See docs/security.md.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$1"
seconds="$2"
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(article stylesheet image render)

seeds_for() {
  case "$1" in
    article|render) echo "$src/tests/fuzz/seeds/article $src/samples" ;;
    stylesheet) echo "$src/tests/fuzz/seeds/stylesheet $src/stylesheets" ;;
    image) echo "$src/tests/fuzz/seeds/image" ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$t"
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  # Seed folders may hold files for other targets (samples/ has JPEGs): libFuzzer reads them
  # all as inputs, which is harmless; -max_len keeps a large seed from slowing every run.
  extra=()
  for s in $(seeds_for "$t"); do
    while IFS= read -r -d '' f; do extra+=("$f"); done < <(find "$s" -type f -size -64k \
        \( -name '*.xml' -o -name '*.css' -o -name '*.png' -o -name '*.jpg' \) -print0)
  done
  seed_dir="$build/fuzz-seeds/$t"
  rm -rf "$seed_dir" && mkdir -p "$seed_dir"
  for f in "${extra[@]}"; do cp "$f" "$seed_dir/$(echo "$f" | md5sum | cut -c1-12)-$(basename "$f")"; done
  echo "== fuzz_$t: ${seconds}s, $(ls "$corpus" | wc -l) corpus + ${#extra[@]} seed files"
  # rss_limit: the image target's pixel budget keeps a decode under ~100 MB; 2 GB catches a
  # real blow-up. -timeout: one input taking longer than 25 s is a hang.
  if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
       LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0" \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
              -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "$seed_dir" \
              > "$build/fuzz-$t.log" 2>&1; then
    echo "fuzz_$t FAILED (log: $build/fuzz-$t.log; reproducer in $artifacts):"
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$build/fuzz-$t.log" | head -20
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/fuzz-$t.log" | tail -2
  fi
done
exit $status
