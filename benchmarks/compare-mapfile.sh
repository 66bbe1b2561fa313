#!/usr/bin/env bash
# What the crash-safe mapfile and resuming cost: fpipe imaging a loop device without a mapfile, with one
# (fsync of the output and the mapfile every 2 s), and a resume that finds half the copy done (re-reads that
# half from OUT.partial for the digests, reads the other half from the device), run alternately, medians.
# The device is a 2 GiB loop device over a page-cached backing file (as root), as in compare-devices.sh.
#
#   sudo benchmarks/compare-mapfile.sh [WORKDIR] [RUNS]
#
# Needs: losetup, GNU time (/usr/bin/time); builds fpipe in Release first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-mapbench}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
use_native_fpipe "$here"

[ -f dev2g.img ] || head -c 2147483648 /dev/urandom > dev2g.img
cat dev2g.img > /dev/null
loop=$(losetup -f --show dev2g.img)
trap 'losetup -d "$loop"; rm -rf out.* half time.out m' EXIT

# A half-done acquisition to resume from: the first GiB copied, recorded in a mapfile (made once, by a run
# that is stopped with SIGINT once its output passes 1 GiB; what it recorded is what is resumed).
rm -rf half && mkdir half
( cd half && "$fpipe" image "$loop" out.raw --mapfile m --hash md5,sha256 --quiet & pid=$!
  while [ "$(stat -c %s out.raw.partial 2>/dev/null || echo 0)" -lt 1073741824 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; done
  kill -INT $pid; wait $pid || true ) 2>/dev/null || true
[ -f half/m ] || { echo "could not make the half-done acquisition" >&2; exit 1; }

: > a.txt; : > b.txt; : > c.txt
for i in $(seq "$runs"); do
  rm -rf out.* m; settle
  time_of "$fpipe" image "$loop" out.raw --hash md5,sha256 --quiet | cut -d' ' -f1 >> a.txt
  rm -rf out.* m; settle
  time_of "$fpipe" image "$loop" out.raw --mapfile m --hash md5,sha256 --quiet | cut -d' ' -f1 >> b.txt
  rm -rf out.* m; cp half/out.raw.partial out.raw.partial; cp half/m m; settle
  time_of "$fpipe" image "$loop" out.raw --mapfile m --hash md5,sha256 --resume --quiet | cut -d' ' -f1 >> c.txt
  cmp dev2g.img out.raw
done
echo "runs: $runs each, alternated; $loop over a 2 GiB page-cached backing file; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-70s %8s\n' "command" "median s"
printf '%-70s %8.2f\n' "fpipe image DEV O --hash md5,sha256" "$(median < a.txt)"
printf '%-70s %8.2f\n' "fpipe image DEV O --hash md5,sha256 --mapfile M" "$(median < b.txt)"
printf '%-70s %8.2f\n' "fpipe image DEV O --hash md5,sha256 --mapfile M --resume (half done)" "$(median < c.txt)"
echo "all runs (s): plain $(tr '\n' ' ' < a.txt)| mapfile $(tr '\n' ' ' < b.txt)| resume $(tr '\n' ' ' < c.txt)"
