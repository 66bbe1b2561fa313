#!/usr/bin/env bash
# fpipe mount figures: sequential read of the mounted virtual partition (dd bs=1M, target >= 500 MB/s) on a
# page-cached partclone image of a 2 GiB ext4 (4 KiB blocks, ~70 % full of random data), beside dd of the
# image file itself and of the raw partition as ceilings; and the memory of the random-access index for a
# 1 TiB ext4 partition (4 KiB blocks, 268 M blocks, 32 MiB bitmap; target <= 64 MiB at --index-size 1024),
# as fpipe reports it and as the mount process's resident memory shows it. Each dd runs on a fresh mount
# (empty FUSE page cache) RUNS times; medians are reported.
#
#   benchmarks/compare-mount.sh [WORKDIR] [RUNS]        (WORKDIR default /tmp/fpipe-bench-mount, RUNS 5)
#   benchmarks/compare-mount.sh --fixture-only [WORKDIR]  (only build img.raw/img.pc, for the BenchmarkDotNet suite)
#
# Needs: root, /dev/fuse and fusermount3, partclone.extfs, mke2fs >= 1.43 (-d), python3. The fixtures are
# cached in WORKDIR (img.raw 2 GiB, img.pc ~1.4 GiB, big.pc ~140 MiB; big.raw is a 1 TiB sparse file of
# ~12 MiB); delete them to rebuild. Every mount is unmounted on exit, also on failure.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
fixture_only=0
if [ "${1:-}" = --fixture-only ]; then fixture_only=1; shift; fi
work=${1:-/tmp/fpipe-bench-mount}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
[ "$(id -u)" = 0 ] || { echo "partclone and mount -o loop need root" >&2; exit 1; }

# --- fixture: the 2 GiB ext4 partclone image of benchmarks/lib.sh, shared with compare-partclone.sh ---
ensure_ext4_partclone_fixture
[ "$fixture_only" = 1 ] && exit 0

# --- 1 TiB sparse ext4 (few inodes, no journal: partclone then stores only bitmaps and metadata) ---
if [ ! -f big.pc ]; then
  rm -f big.raw
  truncate -s 1T big.raw
  mkfs.ext4 -q -F -b 4096 -i 67108864 -O ^has_journal,^resize_inode -m 0 big.raw
  partclone.extfs -c -s big.raw -O big.pc.tmp -L /dev/null -q >/dev/null 2>&1
  mv big.pc.tmp big.pc
  rm -f big.raw
fi

use_native_fpipe "$here"
mkdir -p mnt
cleanup() { mountpoint -q "$work/mnt" && { fusermount3 -u "$work/mnt" || umount -l "$work/mnt"; }; true; }
trap cleanup EXIT
cat img.pc > /dev/null; cat img.raw > /dev/null   # page-cache image and raw partition

# dd_rate FILE → MB/s (10^6 bytes per second) as dd reports bytes and seconds
dd_rate() { dd if="$1" of=/dev/null bs=1M 2>&1 | awk '/bytes/ {for (i=1;i<=NF;i++) if ($i=="s,") s=$(i-1); print $1/s/1e6}'; }

# --- correctness once: the mounted file equals the raw partition ---
"$fpipe" mount img.pc mnt >/dev/null
cmp mnt/img img.raw || { echo "mounted file differs from img.raw" >&2; exit 1; }
fusermount3 -u mnt; sleep 0.5

: > rates.mount; : > rates.image; : > rates.raw
for i in $(seq "$runs"); do
  "$fpipe" mount img.pc mnt >/dev/null
  dd_rate mnt/img >> rates.mount
  fusermount3 -u mnt; sleep 0.5
  dd_rate img.pc >> rates.image
  dd_rate img.raw >> rates.raw
done
echo "load average before the index part: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf 'sequential read, dd bs=1M, medians of %s runs (MB/s):\n' "$runs"
printf '  mounted virtual partition (fresh mount each run): %s   [runs: %s]\n' "$(median < rates.mount)" "$(tr '\n' ' ' < rates.mount)"
printf '  image file itself (page cache):                   %s\n' "$(median < rates.image)"
printf '  raw partition file (page cache):                  %s\n' "$(median < rates.raw)"

# --- index memory for the 1 TiB image ---
for size in 1024 4096; do
  out=$("$fpipe" mount big.pc mnt --index-size "$size")
  pid=$(sed -n 's/.*(process \([0-9]*\)).*/\1/p' <<<"$out")
  index=$(sed -n 's/^Random-access index in memory: \([0-9]*\) bytes.*/\1/p' <<<"$out")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  length=$(stat -c %s mnt/big)
  fusermount3 -u mnt; sleep 0.5
  printf '1 TiB image (%s-byte partition), --index-size %s: index %s bytes (%.1f MiB); mount process RSS %s KiB\n' \
    "$length" "$size" "$index" "$(echo "$index / 1048576" | bc -l)" "$rss"
done
