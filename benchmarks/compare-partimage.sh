#!/usr/bin/env bash
# Whole-process comparison of fpipe with partimage 0.6.9 on images of a 1 GiB ext2 file system (~70 % full:
# half of the file data random, half compressible text) saved with partimage -z0, -z1 and -z2. Commands run
# alternately (A B A B …), medians of RUNS runs, peak RSS from GNU time.
#   1. fpipe restore IMG.000 OUT (full verification: CHK CRCs and positions, header sums, tail sum; deadbeef
#      fill) vs partimage restore onto a loop device over a zero-filled file (partimage refuses a regular file).
#   2. fpipe restore of the gzip and bzip2 images vs `gzip -dc` / `bzip2 -dc` of the same volume file alone.
#
#   benchmarks/compare-partimage.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pi, RUNS 5)
#
# Needs root (loop devices), partimage, mke2fs ≥ 1.43 (-d), losetup, python3, gzip, bzip2, GNU time. The fixture
# (img.raw, img{0,1,2}.pimg.000) is cached in WORKDIR; delete it to rebuild (the -z2 save takes minutes).
# Disk: ~1 GiB raw + ~1.7 GiB images + 1 GiB per restored file. Loop devices are detached on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pi}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
LOOPS=()
cleanup() {
  for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  rm -f "$work"/out.fp "$work"/out.fp.* "$work"/target.raw
}
trap cleanup EXIT
trap 'exit 130' INT TERM
use_native_fpipe "$here"
for t in partimage mke2fs losetup python3 gzip bzip2 cmp; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "missing: GNU time (apt-get install time)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "partimage needs root (loop devices)" >&2; exit 1; }

# --- fixture: 1 GiB ext2 (4 KiB fs blocks), ~70 % used; partimage -z0, -z1, -z2 ---
if [ ! -f img2.pimg.000 ]; then
  rm -rf src img.raw img*.pimg.*
  mkdir src
  python3 - src <<'PY'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(20240612)
words = [b'alpha', b'bravo', b'charlie', b'delta', b'echo', b'foxtrot', b'golf', b'hotel', b'india', b'juliet']
target = int(2**30 * 0.68)
total = i = 0
while total < target:
    size = min(rnd.randint(4096, 8 * 2**20), target - total)
    sub = os.path.join(d, "d%02d" % (i % 16))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%04d.bin" % i), "wb") as f:
        if i % 2:
            f.write(os.urandom(size))
        else:
            text = b' '.join(rnd.choice(words) for _ in range(size // 5 + 1))
            f.write(text[:size])
    total += size
    i += 1
print("built fixture: %d files, %.2f GiB (half random, half text)" % (i, total / 2**30))
PY
  mke2fs -q -F -t ext2 -b 4096 -d src img.raw 1G >/dev/null
  rm -rf src
  L=$(losetup -f --show -r img.raw); LOOPS+=("$L")
  for z in 0 1 2; do partimage -b -o -d -z$z save "$L" "$PWD/img$z.pimg" >/dev/null 2>&1; done
  losetup -d "$L"; LOOPS=()
fi
size=$(stat -c %s img.raw)
cat img.raw img0.pimg.000 img1.pimg.000 img2.pimg.000 > /dev/null   # page-cache everything


# partimage restore onto a fresh zero-filled loop target (setup outside the timing)
new_target() { rm -f target.raw; truncate -s "$size" target.raw; L=$(losetup -f --show target.raw); LOOPS+=("$L"); }
drop_target() { losetup -d "$L"; LOOPS=(); rm -f target.raw; }
pi_restore() { partimage -b -f3 restore "$L" "$PWD/$1" >/dev/null 2>&1; }

# --- correctness, once, before timing ---
for z in 0 1 2; do
  rm -f out.fp out.fp.*
  "$fpipe" restore img$z.pimg.000 out.fp --fill zero --quiet
  cmp out.fp img.raw || { echo "FAIL: fpipe restore of img$z differs from img.raw" >&2; exit 1; }
done
new_target; pi_restore img0.pimg.000; cmp target.raw img.raw || { echo "FAIL: partimage restore differs from img.raw" >&2; exit 1; }; drop_target
rm -f out.fp out.fp.*
check="fpipe restore (fill zero) of -z0/-z1/-z2 == img.raw == partimage restore onto zeros (cmp, $size bytes)"

: > a.txt; : > b.txt; : > c.txt; : > d.txt; : > e.txt; : > f.txt
for i in $(seq "$runs"); do
  new_target; time_of partimage -b -f3 restore "$L" "$PWD/img0.pimg.000" >> a.txt; drop_target
  time_of "$fpipe" restore img0.pimg.000 out.fp --quiet >> b.txt; rm -f out.fp out.fp.*
  time_of gzip -dc img1.pimg.000 >> c.txt
  time_of "$fpipe" restore img1.pimg.000 out.fp --quiet >> d.txt; rm -f out.fp out.fp.*
  time_of bzip2 -dc img2.pimg.000 >> e.txt
  time_of "$fpipe" restore img2.pimg.000 out.fp --quiet >> f.txt; rm -f out.fp out.fp.*
done

read -r used count bs < <("$fpipe" info img0.pimg.000 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["usedBlocks"], d["blockCount"], d["blockSize"])')
echo "fixture: ext2 $((size / 1048576)) MiB, partimage blocks of $bs bytes, $used of $count saved ($(awk -v u="$used" -v t="$count" 'BEGIN{printf "%.1f", 100*u/t}') %); images: -z0 $(( $(stat -c %s img0.pimg.000) / 1048576 )) MiB, -z1 $(( $(stat -c %s img1.pimg.000) / 1048576 )) MiB, -z2 $(( $(stat -c %s img2.pimg.000) / 1048576 )) MiB, page-cached"
echo "check:   $check"
echo "runs: $runs each, alternated; load at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-66s %8s %7s %7s %8s\n' "command" "median s" "user s" "sys s" "max RSS"
row() { printf '%-66s %8.2f %7.2f %7.2f %5d MiB\n' "$1" "$(col 1 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "$(max_rss_mib "$2")"; }
row "partimage -b -f3 restore /dev/loopN IMG0.000 (zeroed 1 GiB target)" a.txt
row "fpipe restore IMG0.000 OUT --quiet (verify, deadbeef fill)" b.txt
row "gzip -dc IMG1.000 > /dev/null" c.txt
row "fpipe restore IMG1.000 OUT --quiet" d.txt
row "bzip2 -dc IMG2.000 > /dev/null" e.txt
row "fpipe restore IMG2.000 OUT --quiet" f.txt
ratio() { awk -v a="$(col 1 "$1")" -v b="$(col 1 "$2")" -v t="$4" -v n="$3" 'BEGIN { printf "ratio %-40s = %.2f (target <= %s)%s\n", n, a/b, t, (a/b <= t ? "" : "  MISSED") }'; }
ratio b.txt a.txt "fpipe restore / partimage restore" 0.25
ratio d.txt c.txt "fpipe restore gzip / gzip -dc" 1.00
ratio f.txt e.txt "fpipe restore bzip2 / bzip2 -dc" 1.00
