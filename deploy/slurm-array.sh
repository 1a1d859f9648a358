#!/usr/bin/env bash
# trang batch as a Slurm job array: task K of N renders shard K/N of the archive.
#
#   sbatch --array=1-16 deploy/slurm-array.sh /shared/articles /shared/pdf [/shared/archive.css]
#
# SLURM_ARRAY_TASK_ID is the shard index (1-based, like trang's) and SLURM_ARRAY_TASK_COUNT
# the number of shards, so the --array range alone decides the split. Each task uses every core
# Slurm gives it (--jobs from SLURM_CPUS_PER_TASK). Re-submitting the same array resumes:
# --skip-existing skips every PDF that is up to date.
#SBATCH --job-name=trang-archive
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=04:00:00
#SBATCH --output=trang-%A_%a.log
set -euo pipefail

input=${1:?usage: sbatch --array=1-N slurm-array.sh INPUT_DIR OUT_DIR [STYLESHEET]}
output=${2:?usage: sbatch --array=1-N slurm-array.sh INPUT_DIR OUT_DIR [STYLESHEET]}
stylesheet=${3:-}
trang=${TRANG:-trang}

# A plain `sbatch` (no --array) renders everything as shard 1/1.
k=${SLURM_ARRAY_TASK_ID:-1}
n=${SLURM_ARRAY_TASK_COUNT:-1}
# SLURM_ARRAY_TASK_COUNT counts tasks; with --array=1-N it is N. Other ranges (0-based,
# stepped) need SHARDS set explicitly and task ids 1..SHARDS.
n=${SHARDS:-$n}

args=(batch "$input" -o "$output" --shard "$k/$n" --skip-existing --jobs "${SLURM_CPUS_PER_TASK:-$(nproc)}")
[ -n "$stylesheet" ] && args+=(--stylesheet "$stylesheet")
exec "$trang" "${args[@]}"
