#!/usr/bin/env bash
# Whole-process comparison of `fpipe restore FOLDER disk.raw --fill zero` with Clonezilla's own restore commands
# (tests/fixtures/clonezilla/rebuild-disk.sh: sfdisk from pt.sf, dd of the boot areas, zcat | partclone.restore
# of each image onto a loop device at its offset, mkswap) on the GPT folder make-folder.sh builds (96 MiB disk,
# pigz-compressed images). Both outputs are checked equal before timing. Commands alternate; medians and the
# ratio are reported with the load average.
#
#   benchmarks/compare-clonezilla.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-cz, RUNS 5)
#
# Needs root (loop devices), partclone, sfdisk, parted, pigz, mkfs.vfat/ext4, mkntfs, GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-cz}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
[ "$(id -u)" = 0 ] || { echo "needs root (loop devices)" >&2; exit 1; }
use_native_fpipe "$here"
scripts="$here/tests/fixtures/clonezilla"
[ -d gpt/folder ] || bash "$scripts/make-folder.sh" gpt gz gpt
trap 'rm -f "$work"/fpipe.raw* "$work"/clonezilla.raw time.out' EXIT

fp=("$fpipe" restore gpt/folder fpipe.raw --fill zero --hash none --quiet --overwrite)
cz=(bash "$scripts/rebuild-disk.sh" gpt/folder clonezilla.raw)

# --- correctness, once, before timing ---
"${fp[@]}"; "${cz[@]}"
cmp fpipe.raw clonezilla.raw || { echo "FAIL: fpipe's disk differs from Clonezilla's restore" >&2; exit 1; }

: > fp.times; : > cz.times
for _ in $(seq "$runs"); do
  rm -f fpipe.raw; settle; time_of "${fp[@]}" >> fp.times
  rm -f clonezilla.raw; settle; time_of "${cz[@]}" >> cz.times
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %8s\n' command "wall s" "rss MiB"
printf '%-28s %8s %8s\n' "fpipe restore FOLDER" "$(col 1 fp.times)" "$(max_rss_mib fp.times)"
printf '%-28s %8s %8s\n' "Clonezilla's commands" "$(col 1 cz.times)" "$(max_rss_mib cz.times)"
awk -v a="$(col 1 fp.times)" -v b="$(col 1 cz.times)" 'BEGIN { printf "ratio fpipe / Clonezilla: %.2f\n", a / b }'
