#!/usr/bin/env bash
# Whole-process comparisons of the installed fpipe, run alternately (A B A B …) on the same page-cached
# input, reported as medians and ratios:
#   1. start-up: `fpipe image` of a 1 MB file vs `md5sum` of it and vs dc3dd (dd when dc3dd is absent);
#   2. hashed copy: `fpipe image F OUT --hash md5,sha1,sha256` vs `md5sum F` at 1 GiB and 2 GiB
#      (target <= 1.05: three digests and a copy for the price of one md5sum, on 2+ cores).
#
#   benchmarks/compare-startup.sh [WORKDIR] [RUNS]
#   FPIPE=path/to/fpipe SIZES_MIB="1024 2048" STARTUP_RUNS=20 benchmarks/compare-startup.sh
#
# FPIPE defaults to the `fpipe` on the PATH (install.sh puts the native build there). Needs md5sum and
# GNU time (/usr/bin/time); dc3dd if installed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-startup}
runs=${2:-5}
startup_runs=${STARTUP_RUNS:-20}
sizes=${SIZES_MIB:-1024 2048}
fpipe=${FPIPE:-$(command -v fpipe || true)}
[ -x "$fpipe" ] || { echo "no fpipe: run 'sudo ./install.sh' or set FPIPE=path/to/fpipe" >&2; exit 1; }
mkdir -p "$work"
cd "$work"

# wall_ms CMD… → milliseconds of wall time of one run (the start-up figures are tens of ms: /usr/bin/time's
# 10 ms resolution is too coarse for them); exits on failure
wall_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "fpipe: $fpipe ($("$fpipe" --version 2>/dev/null || echo '?'))"

# 1. Start-up.
head -c 1000000 /dev/urandom > small.bin
if command -v dc3dd >/dev/null; then
  peer=(dc3dd if=small.bin of=peer.out hash=md5); peer_name="dc3dd if=F of=O hash=md5"
else
  peer=(dd if=small.bin of=peer.out bs=1M status=none); peer_name="dd if=F of=O bs=1M"
fi
: > s_fpipe.txt; : > s_md5.txt; : > s_peer.txt
for i in $(seq "$startup_runs"); do
  wall_ms "$fpipe" image small.bin small.out --overwrite --quiet >> s_fpipe.txt
  wall_ms md5sum small.bin >> s_md5.txt
  rm -f peer.out
  wall_ms "${peer[@]}" >> s_peer.txt
done
rm -f small.out* peer.out
sf=$(median < s_fpipe.txt); sm=$(median < s_md5.txt); sp=$(median < s_peer.txt)
echo "start-up, 1 MB file, $startup_runs runs each, alternated (median wall ms)"
printf '  %-52s %6s\n' "fpipe image F O --overwrite --quiet" "$sf"
printf '  %-52s %6s\n' "md5sum F" "$sm"
printf '  %-52s %6s\n' "$peer_name" "$sp"
echo "  ratio fpipe/md5sum = $(ratio "$sf" "$sm"); fpipe/${peer[0]} = $(ratio "$sf" "$sp"); target: fpipe <= 100 ms"

# 2. Hashed copy vs md5sum alone.
for mib in $sizes; do
  input=in${mib}m.bin
  [ "$(stat -c %s "$input" 2>/dev/null || echo 0)" -eq $((mib * 1048576)) ] || head -c $((mib * 1048576)) /dev/urandom > "$input"
  cat "$input" > /dev/null   # page-cache the input
  : > a.txt; : > b.txt
  for i in $(seq "$runs"); do
    rm -f out.raw*; settle
    time_of "$fpipe" image "$input" out.raw --hash md5,sha1,sha256 --overwrite --quiet | cut -d' ' -f1 >> a.txt
    rm -f out.raw*; settle
    time_of md5sum "$input" | cut -d' ' -f1 >> b.txt
  done
  rm -f out.raw*
  a=$(median < a.txt); b=$(median < b.txt)
  echo "hashed copy, $mib MiB page-cached random data, $runs runs each, alternated (median wall s)"
  printf '  %-52s %6.2f\n' "fpipe image F O --hash md5,sha1,sha256" "$a"
  printf '  %-52s %6.2f\n' "md5sum F" "$b"
  echo "  ratio fpipe/md5sum = $(ratio "$a" "$b") (target <= 1.05)"
done
