#!/usr/bin/env bash
# trang batch over several machines with GNU parallel: one shard per machine, over ssh.
#
#   deploy/gnu-parallel.sh INPUT_DIR OUT_DIR host1 host2 host3 ...
#
# Every host must see INPUT_DIR and OUT_DIR at the same paths (a shared mount) and have trang
# on its PATH. With N hosts, host K renders shard K/N; the split depends only on each article's
# path relative to INPUT_DIR, so the hosts need not talk to each other. Each trang uses all the
# cores of its host. Running the same command again resumes (--skip-existing). The exit status
# is non-zero when any shard had a failed article; each shard's summary is in its log.
#
# On one machine, `trang batch INPUT_DIR -o OUT_DIR` already uses every core: no parallel needed.
set -euo pipefail

input=${1:?usage: gnu-parallel.sh INPUT_DIR OUT_DIR HOST...}
output=${2:?usage: gnu-parallel.sh INPUT_DIR OUT_DIR HOST...}
shift 2
[ $# -ge 1 ] || { echo "usage: gnu-parallel.sh INPUT_DIR OUT_DIR HOST..." >&2; exit 2; }
hosts=("$@")
n=${#hosts[@]}

# --link pairs the k-th shard with the k-th host; -j1 per host, since trang is parallel itself.
# --results keeps each shard's stdout/stderr under logs/; --halt never: run every shard.
parallel --link --jobs "$n" --results logs/trang-shard-{1} --halt never \
  ssh {2} trang batch "$(printf %q "$input")" -o "$(printf %q "$output")" --shard {1}/"$n" --skip-existing \
  ::: $(seq 1 "$n") ::: "${hosts[@]}"
