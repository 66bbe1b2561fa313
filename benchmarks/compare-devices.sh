#!/usr/bin/env bash
# Whole-process comparisons of fpipe imaging a block device with peer tools on the same device, run
# alternately (A B A B …) so that both see the same machine state, reported as medians and ratios.
# The device is a 2 GiB loop device over a page-cached backing file (as root), so the figures measure
# the tools, not a disk. fpipe reads it with O_DIRECT and writes its output with O_DIRECT; dd and dc3dd
# write through the page cache, which on this VM costs about 3 s of kernel CPU per fresh GiB.
#
#   sudo benchmarks/compare-devices.sh [WORKDIR] [RUNS]
#
# Needs: losetup, dc3dd, dd, GNU time (/usr/bin/time); builds fpipe in Release first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-devbench}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
use_native_fpipe "$here"

[ -f dev2g.img ] || head -c 2147483648 /dev/urandom > dev2g.img
cat dev2g.img > /dev/null   # page-cache the backing file
loop=$(losetup -f --show dev2g.img)
# Detach what this script attached, however it ends.
trap 'losetup -d "$loop"; rm -f out.* time.out' EXIT


: > a.txt; : > b.txt; : > c.txt; : > d.txt; : > rss.txt
for i in $(seq "$runs"); do
  rm -f out.*; settle
  time_of dc3dd if="$loop" of=out.dc3dd hash=md5 hash=sha1 hash=sha256 | cut -d' ' -f1 >> a.txt
  rm -f out.*; settle
  time_of "$fpipe" image "$loop" out.fpipe --hash md5,sha1,sha256 --quiet | tee -a rss.txt | cut -d' ' -f1 >> b.txt
  rm -f out.*; settle
  time_of dd if="$loop" of=out.dd bs=1M iflag=direct | cut -d' ' -f1 >> c.txt
  rm -f out.*; settle
  time_of "$fpipe" image "$loop" out.fpipe --hash none --quiet | tee -a rss.txt | cut -d' ' -f1 >> d.txt
done
# The last copy is checked against the backing file: a fast wrong answer is no answer.
time_of "$fpipe" image "$loop" out.check --hash none --quiet >/dev/null
cmp dev2g.img out.check

dc3dd_s=$(median < a.txt); fpipe_s=$(median < b.txt); dd_s=$(median < c.txt); plain_s=$(median < d.txt)
rss=$(cut -d' ' -f2 rss.txt | sort -n | tail -1)
echo "runs: $runs each, alternated; $loop over a 2 GiB page-cached backing file; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-62s %8s\n' "command" "median s"
printf '%-62s %8.2f\n' "dc3dd if=DEV of=O hash=md5 hash=sha1 hash=sha256" "$dc3dd_s"
printf '%-62s %8.2f\n' "fpipe image DEV O --hash md5,sha1,sha256" "$fpipe_s"
printf '%-62s %8.2f\n' "dd if=DEV of=O bs=1M iflag=direct" "$dd_s"
printf '%-62s %8.2f\n' "fpipe image DEV O --hash none" "$plain_s"
awk -v a="$fpipe_s" -v b="$dc3dd_s" 'BEGIN { printf "ratio evidence copy  fpipe/dc3dd = %.2f (target <= 0.35)\n", a/b }'
awk -v a="$plain_s" -v b="$dd_s" 'BEGIN { printf "ratio plain copy     fpipe/dd    = %.2f (target <= 1.2)\n", a/b }'
echo "peak RSS of the fpipe runs: $((rss / 1024)) MiB"
echo "all runs (s): dc3dd $(tr '\n' ' ' < a.txt)| fpipe-hash $(tr '\n' ' ' < b.txt)| dd $(tr '\n' ' ' < c.txt)| fpipe-plain $(tr '\n' ' ' < d.txt)"
