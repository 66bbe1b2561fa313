#!/usr/bin/env bash
# Whole-process comparisons of fpipe with what a user runs today on a Clonezilla folder of today's defaults: the GPT
# disk of tests/fixtures/clonezilla/make-folder.sh (layout gpt-large: ESP FAT32 256 MiB + ext4 2 GiB holding a copy
# of /usr/share + swap 128 MiB + NTFS 256 MiB, 2.6 GiB of partitions) saved by partclone 0.3.47 with Clonezilla's
# options (-a3 -z 10485760) into zstd -T0 -3, with MD5SUMS, SHA1SUMS, B2SUMS and B3SUMS.
#
#   1. whole-disk restore to a raw file: `fpipe restore FOLDER disk.raw --fill sparse` against Clonezilla's own
#      commands (rebuild-disk.sh: sfdisk from pt.sf, dd of the saved areas, `zstd -dc IMG | partclone.restore` of
#      0.3.47 onto a loop device at each partition's offset, mkswap); both outputs are checked equal first.
#   2. `fpipe verify FOLDER` (all four manifests and every image's XXH3-128 groups) against the careful user's sequence:
#      md5sum -c MD5SUMS, sha1sum -c SHA1SUMS, b2sum -c B2SUMS, b3sum -c B3SUMS, then
#      `zstd -dc IMG | partclone.chkimg -s -` (0.3.47) for each image.
#
# Commands alternate (A B A B …) with a settle pause; medians of wall time and of user+sys CPU seconds (the CPU figure
# stays meaningful on a shared machine, where wall time depends on the other load), ratios (targets: restore ≤ 0.35,
# verify ≤ 0.5) and the peak RSS of each side (GNU time, the largest process) are printed with the load average.
#
#   benchmarks/compare-clonezilla.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-czdisk, RUNS 3)
#
# Needs root (loop devices), partclone 0.3.47 in $PARTCLONE_0347 (default /opt/partclone-0.3.47/sbin), zstd, sfdisk,
# parted, mkfs.vfat/ext4, mkntfs, md5sum, sha1sum, b2sum, b3sum (Debian package b3sum), GNU time. The folder (~1 GiB)
# is cached in WORKDIR; delete it to rebuild.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-czdisk}
runs=${2:-3}
pc=${PARTCLONE_0347:-/opt/partclone-0.3.47/sbin}
[ "$(id -u)" = 0 ] || { echo "needs root (loop devices)" >&2; exit 1; }
for t in "$pc/partclone.restore" "$pc/partclone.chkimg" zstd sfdisk parted md5sum sha1sum b2sum b3sum /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
mkdir -p "$work"
cd "$work"
use_native_fpipe "$here"
scripts="$here/tests/fixtures/clonezilla"
if [ ! -f large/folder/B3SUMS ]; then
  rm -rf large
  PARTCLONE_DIR=$pc PARTCLONE_SAVE_OPT="-a3 -z 10485760" bash "$scripts/make-folder.sh" gpt-large zst large 2>/dev/null
  rm -rf large/root large/content large/disk.raw
fi
folder=$work/large/folder
trap 'rm -f "$work"/fpipe.raw* "$work"/clonezilla.raw "$work"/time.out' EXIT

fp_restore=("$fpipe" restore "$folder" fpipe.raw --fill sparse --hash none --quiet --overwrite)
cz_restore=(env PARTCLONE_DIR="$pc" bash "$scripts/rebuild-disk.sh" "$folder" clonezilla.raw)
fp_verify=("$fpipe" verify "$folder" --quiet --overwrite)
# shellcheck disable=SC2016
cz_verify=(bash -c 'set -e -o pipefail; cd "$1"; md5sum -c --quiet MD5SUMS; sha1sum -c --quiet SHA1SUMS; b2sum -c --quiet B2SUMS;
  b3sum -c --quiet B3SUMS; for i in *-ptcl-img.zst; do case "$i" in *.dd-ptcl-img.*) continue ;; esac;
  zstd -dcq "$i" | "$2/partclone.chkimg" -s - -L /dev/null >/dev/null 2>&1; done' verify "$folder" "$pc")

# --- correctness, once, before timing ---
"${fp_restore[@]}"; "${cz_restore[@]}"
cmp fpipe.raw clonezilla.raw || { echo "FAIL: fpipe's disk differs from Clonezilla's restore" >&2; exit 1; }
"${fp_verify[@]}" || { echo "FAIL: fpipe verify" >&2; exit 1; }
"${cz_verify[@]}" || { echo "FAIL: the manifests or partclone.chkimg" >&2; exit 1; }
echo "partitions: $(sed -n 's|^/dev/.*size= *\([0-9]*\).*|\1|p' "$folder/sda-pt.sf" | awk '{ s += $1 } END { printf "%.2f GiB", s * 512 / 2^30 }'), folder $(du -sh "$folder" | cut -f1), disk $(stat -c %s fpipe.raw) bytes"

: > fpr.times; : > czr.times; : > fpv.times; : > czv.times
for _ in $(seq "$runs"); do
  rm -f fpipe.raw; settle; time_of "${fp_restore[@]}" >> fpr.times
  rm -f clonezilla.raw; settle; time_of "${cz_restore[@]}" >> czr.times
  settle; time_of "${fp_verify[@]}" >> fpv.times
  settle; time_of "${cz_verify[@]}" >> czv.times
done
# cpu FILE → median of user+sys seconds (columns 3 and 4) of the time_of lines in FILE
cpu() { awk '{ print $3 + $4 }' "$1" | median; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); runs: $runs"
printf '%-40s %8s %8s %8s\n' command "wall s" "cpu s" "rss MiB"
printf '%-40s %8s %8s %8s\n' "fpipe restore FOLDER disk.raw" "$(col 1 fpr.times)" "$(cpu fpr.times)" "$(max_rss_mib fpr.times)"
printf '%-40s %8s %8s %8s\n' "Clonezilla's restore commands" "$(col 1 czr.times)" "$(cpu czr.times)" "$(max_rss_mib czr.times)"
printf '%-40s %8s %8s %8s\n' "fpipe verify FOLDER" "$(col 1 fpv.times)" "$(cpu fpv.times)" "$(max_rss_mib fpv.times)"
printf '%-40s %8s %8s %8s\n' "*sum -c ×4 + zstd | partclone.chkimg" "$(col 1 czv.times)" "$(cpu czv.times)" "$(max_rss_mib czv.times)"
awk -v a="$(col 1 fpr.times)" -v b="$(col 1 czr.times)" -v c="$(cpu fpr.times)" -v d="$(cpu czr.times)" \
  'BEGIN { printf "restore ratio fpipe / Clonezilla: %.2f wall (target <= 0.35), %.2f cpu\n", a / b, c / d }'
awk -v a="$(col 1 fpv.times)" -v b="$(col 1 czv.times)" -v c="$(cpu fpv.times)" -v d="$(cpu czv.times)" \
  'BEGIN { printf "verify ratio fpipe / tools: %.2f wall (target <= 0.5), %.2f cpu\n", a / b, c / d }'
