#!/usr/bin/env bash
# Whole-process comparison of fpipe with ntfsclone (ntfs-3g) restoring an ntfsclone special image of a 1 GiB
# NTFS (4 KiB clusters, ~66 % full of random-content files) into a sparse raw file. Commands run alternately
# (A B A B …) so that both see the same machine state; medians and ratios are reported. This VM returns freed
# memory to its host, so the first write into fresh memory is slow and single runs spread: trust the medians.
#
#   benchmarks/compare-ntfsclone.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-ntfs, RUNS 5)
#
# Needs: root (ntfs-3g mount), ntfs-3g (mkntfs, ntfs-3g, ntfsclone), python3, cmp, GNU time (/usr/bin/time);
# builds fpipe in Release first. The fixture (ntfs.raw, ntfs.img) is cached in WORKDIR; delete it to rebuild.
# Disk: ~1.7 GiB fixture + ~0.7 GiB per restored file (both restores leave holes where the image has none).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-ntfs}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
trap 'umount "$work/mnt" 2>/dev/null || true; rm -f "$work"/out.nc "$work"/out.fp "$work"/out.fp.*' EXIT
use_native_fpipe "$here"
for t in mkntfs ntfs-3g ntfsclone python3 cmp; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "mounting the fixture with ntfs-3g needs root" >&2; exit 1; }

# --- fixture: 1 GiB NTFS, 4 KiB clusters, ~66 % used by files of random content (deterministic sizes) ---
if [ ! -f ntfs.img ]; then
  rm -f ntfs.raw ntfs.img.tmp
  truncate -s 1G ntfs.raw
  mkntfs -q -F -f -L bench ntfs.raw >/dev/null 2>&1
  mkdir -p mnt
  ntfs-3g ntfs.raw mnt
  python3 - mnt <<'PY'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(7)
for k in range(7):
    os.makedirs(f'{d}/d{k}', exist_ok=True)
    for i in range(25):
        with open(f'{d}/d{k}/f{i}.bin', 'wb') as f:
            f.write(os.urandom(rnd.randrange(1_000_000, 7_000_000)))
PY
  umount mnt
  ntfsclone -q --save-image -O ntfs.img.tmp ntfs.raw >/dev/null 2>&1
  mv ntfs.img.tmp ntfs.img
fi
cat ntfs.img > /dev/null   # page-cache the image


restore_nc=(ntfsclone -q --restore-image -O out.nc ntfs.img)
restore_fp=("$fpipe" restore ntfs.img out.fp --fill sparse --quiet)

# --- correctness, once, before timing ---
rm -f out.nc out.fp out.fp.*
"${restore_nc[@]}" >/dev/null 2>&1 || { echo "ntfsclone --restore-image failed" >&2; exit 1; }
"${restore_fp[@]}"
cmp out.nc out.fp || { echo "FAIL: restored partitions differ" >&2; exit 1; }
cmp out.fp ntfs.raw >/dev/null && same="; == source ntfs.raw" || same="; differs from ntfs.raw (unused clusters)"
rm -f out.nc out.fp out.fp.*

# --- timing, alternated ---
: > a.txt; : > b.txt
for i in $(seq "$runs"); do
  time_of "${restore_nc[@]}" >> a.txt; rm -f out.nc
  time_of "${restore_fp[@]}" >> b.txt; rm -f out.fp out.fp.*
done

read -r cs dev inuse < <(python3 -c 'import struct,sys; h=open(sys.argv[1],"rb").read(56); print(struct.unpack_from("<I",h,18)[0], struct.unpack_from("<Q",h,22)[0], struct.unpack_from("<Q",h,38)[0])' ntfs.img)
echo "fixture: NTFS $((dev / 1048576)) MiB, $cs-byte clusters, $inuse clusters in use, image $(( $(stat -c %s ntfs.img) / 1048576 )) MiB, page-cached"
echo "check:   fpipe restore == ntfsclone --restore-image (cmp)$same"
echo "runs: $runs each, alternated"
printf '%-60s %8s %7s %7s %8s\n' "command" "median s" "user s" "sys s" "max RSS"
row() { printf '%-60s %8.2f %7.2f %7.2f %5d MiB\n' "$1" "$(col 1 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "$(max_rss_mib "$2")"; }
row "ntfsclone -q --restore-image -O OUT IMG" a.txt
row "fpipe restore IMG OUT --fill sparse --quiet" b.txt
awk -v a="$(col 1 b.txt)" -v b="$(col 1 a.txt)" 'BEGIN { printf "ratio restore  fpipe/ntfsclone = %.2f (target <= 0.8)%s\n", a/b, (a/b <= 0.8 ? "" : "  MISSED") }'
