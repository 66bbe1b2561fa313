#!/usr/bin/env bash
# Whole-process comparisons of fpipe with peer tools on the same input, run alternately (A B A B …) so
# that both see the same machine state, reported as medians and ratios. This VM returns freed memory to
# its host, so the first write into fresh memory is slow and single runs spread: trust the medians.
#
#   benchmarks/compare-peers.sh [WORKDIR] [RUNS]
#
# Needs: dc3dd, md5sum, GNU time (/usr/bin/time); builds fpipe in Release first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
use_native_fpipe "$here"

[ -f in2g.bin ] || head -c 2147483648 /dev/urandom > in2g.bin
[ -f sparse64g.img ] || { truncate -s 64G sparse64g.img; head -c 1048576 /dev/urandom | dd of=sparse64g.img conv=notrunc status=none; }
cat in2g.bin > /dev/null   # page-cache the input


cat > null3.job.json <<JOB
{ "source": { "type": "file", "path": "in2g.bin" },
  "stages": [ { "type": "hash", "algorithms": ["md5", "sha1", "sha256"] } ],
  "sinks": [ { "type": "null" } ], "report": { "path": "null3.report.json" } }
JOB
cat > sparse.job.json <<JOB
{ "source": { "type": "file", "path": "sparse64g.img" },
  "stages": [ { "type": "hash", "algorithms": ["md5", "sha1", "sha256"] } ],
  "sinks": [ { "type": "null" } ], "report": { "path": "sparse.report.json" } }
JOB

: > a.txt; : > b.txt; : > c.txt; : > d.txt; : > rss.txt
for i in $(seq "$runs"); do
  rm -f out.dc3dd out.fpipe*; settle
  time_of dc3dd if=in2g.bin of=out.dc3dd hash=md5 hash=sha1 hash=sha256 | cut -d' ' -f1 >> a.txt
  rm -f out.dc3dd; settle
  time_of "$fpipe" image in2g.bin out.fpipe --hash md5,sha1,sha256 --quiet | tee -a rss.txt | cut -d' ' -f1 >> b.txt
  rm -f out.fpipe*; settle
  time_of md5sum in2g.bin | cut -d' ' -f1 >> c.txt
  rm -f null3.report.*; settle
  time_of "$fpipe" run null3.job.json --quiet | tee -a rss.txt | cut -d' ' -f1 >> d.txt
done
rm -f sparse.report.*
sparse=$(time_of "$fpipe" run sparse.job.json --quiet)

dc3dd_s=$(median < a.txt); fpipe_s=$(median < b.txt); md5_s=$(median < c.txt); null_s=$(median < d.txt)
rss2g=$(cut -d' ' -f2 rss.txt | sort -n | tail -1)
echo "runs: $runs each, alternated; input 2 GiB page-cached random data"
printf '%-58s %8s\n' "command" "median s"
printf '%-58s %8.2f\n' "dc3dd if=F of=O hash=md5 hash=sha1 hash=sha256" "$dc3dd_s"
printf '%-58s %8.2f\n' "fpipe image F O --hash md5,sha1,sha256" "$fpipe_s"
printf '%-58s %8.2f\n' "md5sum F" "$md5_s"
printf '%-58s %8.2f\n' "fpipe run (md5+sha1+sha256 to the null sink)" "$null_s"
awk -v a="$fpipe_s" -v b="$dc3dd_s" 'BEGIN { printf "ratio evidence copy  fpipe/dc3dd  = %.2f (target <= 0.35)\n", a/b }'
awk -v a="$null_s" -v b="$md5_s" 'BEGIN { printf "ratio null sink      fpipe/md5sum = %.2f (target <= 1.25)\n", a/b }'
echo "peak RSS, 2 GiB runs: $((rss2g / 1024)) MiB; 64 GiB sparse, 3 hashes: $(( $(echo "$sparse" | cut -d' ' -f2) / 1024 )) MiB in $(echo "$sparse" | cut -d' ' -f1) s (target <= 300 MiB)"
