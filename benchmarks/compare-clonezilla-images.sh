#!/usr/bin/env bash
# Whole-process comparison of fpipe with partclone 0.3.47 and the decompressors on today's Clonezilla
# partclone images: a 2 GiB ext4 populated from a real tree (mke2fs -d /usr/share), saved by partclone
# 0.3.47 with Clonezilla's options (-a3: XXH3-128, -z 10485760: 2560 blocks per checksum), uncompressed
# and compressed as Clonezilla does (zstd -T0 -3) and as older sets are (pigz, xz -T0, lz4). Commands run
# alternately (A B A B …) with a settle pause between runs; medians and ratios are reported.
#
#   benchmarks/compare-clonezilla-images.sh [WORKDIR] [RUNS]   (default /tmp/fpipe-bench-cz, 5)
#
# Needs: root, partclone 0.3.47 in $PARTCLONE_0347 (default /opt/partclone-0.3.47/sbin, built by
# ../shared/tools/partclone-0.3.47/build.sh or any build of that release), zstd, pigz, xz, lz4, mke2fs,
# GNU time. The fixture is cached in WORKDIR (~1.5 GiB image + compressed copies); delete it to rebuild.
# partclone rounds its wall time up to its progress period, so it gets -f 1 and its CPU time is shown too.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-cz}
runs=${2:-5}
pc=${PARTCLONE_0347:-/opt/partclone-0.3.47/sbin}
mkdir -p "$work"
cd "$work"
trap 'rm -f "$work"/out.pc "$work"/out.fp "$work"/out.fp.*' EXIT
use_native_fpipe "$here"
for t in "$pc/partclone.extfs" "$pc/partclone.restore" "$pc/partclone.chkimg" zstd pigz xz lz4 mke2fs; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done

# --- fixture ---
if [ ! -f img.pc.lz4 ]; then
  rm -f fs.raw img.pc*
  mke2fs -q -F -t ext4 -b 4096 -d /usr/share fs.raw 2G
  "$pc/partclone.extfs" -c -a3 -z 10485760 -s fs.raw -O img.pc -L /dev/null -q >/dev/null 2>&1
  zstd -q -T0 -3 -c img.pc > img.pc.zst
  pigz -c img.pc > img.pc.gz
  xz -T0 -c img.pc > img.pc.xz
  lz4 -q -c img.pc > img.pc.lz4
fi
cat img.pc img.pc.* > /dev/null   # page-cache the inputs

verify_pc=("$pc/partclone.chkimg" -s img.pc -f 1 -L /dev/null)
verify_fp=("$fpipe" verify img.pc --quiet --overwrite --report verify.report.json)
restore_pc=(bash -c "zstd -dc img.pc.zst | $pc/partclone.restore -W -s - -O out.pc -f 1 -L /dev/null -q")
restore_fp=("$fpipe" restore img.pc.zst out.fp --fill sparse --quiet --overwrite)

# --- correctness, once, before timing ---
rm -f out.pc out.fp out.fp.*
"${restore_pc[@]}" >/dev/null 2>&1 || { echo "partclone.restore failed" >&2; exit 1; }
"${restore_fp[@]}"
len_pc=$(stat -c %s out.pc)
cmp -n "$len_pc" out.pc out.fp || { echo "FAIL: restored partitions differ" >&2; exit 1; }
rm -f out.pc out.fp out.fp.*
"${verify_pc[@]}" >/dev/null 2>&1 || { echo "FAIL: partclone.chkimg rejects img.pc" >&2; exit 1; }
"${verify_fp[@]}" || { echo "FAIL: fpipe verify rejects img.pc" >&2; exit 1; }

# --- timing, alternated ---
names=(chkimg verify restore_pc restore_fp zstd vzst gz vgz xz vxz lz4 vlz4)
for n in "${names[@]}"; do : > "$n.txt"; done
for i in $(seq "$runs"); do
  time_of "${verify_pc[@]}" >> chkimg.txt; settle
  time_of "${verify_fp[@]}" >> verify.txt; settle
  time_of "${restore_pc[@]}" >> restore_pc.txt; rm -f out.pc; settle
  time_of "${restore_fp[@]}" >> restore_fp.txt; rm -f out.fp out.fp.*; settle
  for c in zst:zstd gz:pigz xz:xz lz4:lz4; do
    ext=${c%%:*}; tool=${c##*:}
    time_of bash -c "$tool -dc img.pc.$ext > /dev/null" >> "$([ "$ext" = zst ] && echo zstd || echo "$ext").txt"; settle
    time_of "$fpipe" verify "img.pc.$ext" --quiet --overwrite --report "verify-$ext.report.json" >> "v$ext.txt"; settle
  done
done

cpu() { awk '{print $3 + $4}' "$1" | median; }
echo "fixture: ext4 2 GiB from /usr/share, partclone 0.3.47 -a3 -z 10485760; image $(( $(stat -c %s img.pc) / 1048576 )) MiB, zst $(( $(stat -c %s img.pc.zst) / 1048576 )) MiB; runs: $runs each, alternated, settle ${SETTLE_SECONDS:-2} s"
printf '%-62s %8s %7s %7s %8s\n' "command" "median s" "user s" "sys s" "max RSS"
row() { printf '%-62s %8.2f %7.2f %7.2f %5d MiB\n' "$1" "$(col 1 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "$(max_rss_mib "$2")"; }
row "partclone.chkimg -s IMG -f 1 (0.3.47)" chkimg.txt
row "fpipe verify IMG" verify.txt
row "zstd -dc IMG.zst | partclone.restore -W -s - (0.3.47)" restore_pc.txt
row "fpipe restore IMG.zst OUT --fill sparse" restore_fp.txt
for c in zstd:vzst gz:vgz xz:vxz lz4:vlz4; do
  row "${c%%:*} -dc IMG.$( [ "${c%%:*}" = zstd ] && echo zst || echo "${c%%:*}") > /dev/null" "${c%%:*}.txt"
  row "fpipe verify IMG.$( [ "${c%%:*}" = zstd ] && echo zst || echo "${c%%:*}")" "${c##*:}.txt"
done
ratio() { awk -v a="$(col 1 "$2")" -v b="$(col 1 "$3")" -v t="$4" -v n="$1" 'BEGIN { printf "ratio %-44s = %.2f (target <= %s)%s\n", n, a/b, t, (a/b <= t ? "" : "  MISSED") }'; }
ratio "fpipe verify / partclone.chkimg -f 1" verify.txt chkimg.txt 0.4
awk -v a="$(col 1 verify.txt)" -v b="$(cpu chkimg.txt)" 'BEGIN { printf "      fpipe verify wall / chkimg user+sys       = %.2f (no progress-tick rounding)\n", a/b }'
ratio "fpipe restore zst / zstd|partclone.restore" restore_fp.txt restore_pc.txt 0.35
ratio "fpipe verify zst / zstd -dc" vzst.txt zstd.txt 1.3
ratio "fpipe verify gz / pigz -dc" vgz.txt gz.txt 1.3
ratio "fpipe verify xz / xz -dc" vxz.txt xz.txt 1.3
ratio "fpipe verify lz4 / lz4 -dc" vlz4.txt lz4.txt 1.3
