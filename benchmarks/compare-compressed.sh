#!/usr/bin/env bash
# Whole-process comparison of checking a zstd-compressed partclone image, as Clonezilla stores it today
# (`zstd -c -T0 -3`): `fpipe verify IMG.zst` (decoder thread over libzstd) against the two-process pipe
# `zstd -dc IMG.zst | fpipe verify -` and against `fpipe verify` of the uncompressed image, plus the same for a
# pigz `.gz` split into 1 GB pieces (`split -a 2 -b 1000000000`, read through SplitSet). The image is the
# 2 GiB ext4 partclone fixture shared with compare-partclone.sh (lib.sh). Commands alternate; medians and
# ratios against the pipe are reported, with the load average.
#
#   benchmarks/compare-compressed.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pc, RUNS 5)
#
# Needs partclone 0.3.x, mke2fs ≥ 1.43, python3, zstd, pigz, split, GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
for t in partclone.extfs mke2fs python3 zstd pigz split; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
use_native_fpipe "$here"

ensure_ext4_partclone_fixture
[ -f img.pc.zst ] || zstd -q -T0 -3 -c img.pc > img.pc.zst
[ -f img.pc.gz.aa ] || pigz -c img.pc | split -a 2 -b 1000000000 - img.pc.gz.
cat img.pc img.pc.zst img.pc.gz.* > /dev/null
trap 'rm -f "$work"/*.verify.report.* "$work"/-.verify.report.*' EXIT

plain=("$fpipe" verify img.pc --quiet)
zst=("$fpipe" verify img.pc.zst --quiet)
pipe=(bash -c "zstd -dc img.pc.zst | '$fpipe' verify - --quiet")
gz=("$fpipe" verify img.pc.gz.aa --quiet)

# --- correctness, once, before timing: every way passes the image's own checks ---
for c in plain zst pipe gz; do
  declare -n cmd=$c
  "${cmd[@]}" || { echo "FAIL: $c" >&2; exit 1; }
done

: > plain.times; : > zst.times; : > pipe.times; : > gz.times
for i in $(seq "$runs"); do
  time_of "${pipe[@]}" >> pipe.times
  time_of "${zst[@]}" >> zst.times
  time_of "${gz[@]}" >> gz.times
  time_of "${plain[@]}" >> plain.times
done

p=$(col 1 pipe.times)
printf 'verify of %s (%s bytes; .zst %s, .gz %s), %d runs, load %s\n' img.pc "$(stat -c %s img.pc)" "$(stat -c %s img.pc.zst)" \
  "$(cat img.pc.gz.* | wc -c)" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %8s %10s %8s %8s %8s\n' command wall_s rss_kib user_s sys_s ratio
for c in pipe zst gz plain; do
  t=$(col 1 $c.times)
  label=$c; case $c in
    pipe) label="zstd -dc IMG.zst | fpipe verify -";; zst) label="fpipe verify IMG.zst";;
    gz) label="fpipe verify IMG.gz.aa (pigz, split)";; plain) label="fpipe verify IMG (uncompressed)";; esac
  printf '%-40s %8s %10s %8s %8s %8s\n' "$label" "$t" "$(col 2 $c.times)" "$(col 3 $c.times)" "$(col 4 $c.times)" "$(python3 -c "print(f'{$t/$p:.2f}')")"
done
