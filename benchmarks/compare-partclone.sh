#!/usr/bin/env bash
# Whole-process comparison of fpipe with partclone 0.3.x on a partclone image of a 2 GiB ext4 file system
# (4 KiB blocks, ~70 % full of random-content files, default CRC-32 checksums every 256 blocks). Commands
# run alternately (A B A B …) so that both see the same machine state; medians and ratios are reported.
# This VM returns freed memory to its host, so the first write into fresh memory is slow and single runs
# spread: trust the medians. Both restores write a 2 GiB (sparse) raw file, deleted after every run.
#
#   benchmarks/compare-partclone.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pc, RUNS 5)
#
# Needs: root (partclone), partclone 0.3.x (partclone.extfs/.restore/.chkimg), mke2fs ≥ 1.43 (-d),
# python3, cmp, GNU time (/usr/bin/time); builds fpipe in Release first. The fixture (img.raw, img.pc)
# is cached in WORKDIR; delete it to rebuild. Disk: ~1.5 GiB fixture + ~1.4 GiB per restored file.
#
# partclone notes: it rounds its wall time up to its progress refresh period, so it always gets -f 1;
# partclone.chkimg has no -q (it prints its usage and exits 0), so it gets none; -L /dev/null keeps its
# log out of the way.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
trap 'rm -f "$work"/out.pc "$work"/out.fp "$work"/out.fp.*' EXIT   # the 2 GiB restored files, also on failure
use_native_fpipe "$here"
for t in partclone.extfs partclone.restore partclone.chkimg mke2fs python3 cmp; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "partclone needs root" >&2; exit 1; }

# --- fixture: 2 GiB ext4, 4 KiB blocks, ~70 % used by files of random content (deterministic sizes) ---
ensure_ext4_partclone_fixture
cat img.pc > /dev/null   # page-cache the image


restore_pc=(partclone.restore -W -s img.pc -O out.pc -f 1 -L /dev/null -q)
restore_fp=("$fpipe" restore img.pc out.fp --fill sparse --quiet)
chkimg_pc=(partclone.chkimg -s img.pc -f 1 -L /dev/null)
verify_fp=("$fpipe" verify img.pc --quiet --overwrite --report verify.report.json)

# --- correctness, once, before timing ---
rm -f out.pc out.fp out.fp.*
"${restore_pc[@]}" >/dev/null 2>&1 || { echo "partclone.restore failed" >&2; exit 1; }
"${restore_fp[@]}"
dev_size=$(python3 -c 'import struct,sys; print(struct.unpack_from("<Q", open(sys.argv[1],"rb").read(60), 52)[0])' img.pc)
len_pc=$(stat -c %s out.pc); len_fp=$(stat -c %s out.fp)
[ "$len_fp" = "$dev_size" ] || { echo "FAIL: fpipe output is $len_fp bytes, device_size is $dev_size" >&2; exit 1; }
if [ "$len_pc" = "$len_fp" ]; then
  cmp out.pc out.fp || { echo "FAIL: restored partitions differ" >&2; exit 1; }
  check="fpipe restore == partclone.restore -W (cmp, $len_fp bytes)"
else   # partclone -W may stop at total_blocks*block_size; the rest of ours must then be zero
  cmp -n "$len_pc" out.pc out.fp || { echo "FAIL: restored partitions differ" >&2; exit 1; }
  cmp -n $((len_fp - len_pc)) -i "$len_pc:0" out.fp /dev/zero || { echo "FAIL: fpipe tail beyond $len_pc is not zero" >&2; exit 1; }
  check="fpipe restore == partclone.restore -W on its $len_pc bytes, rest of ours ($((len_fp - len_pc)) bytes) zero"
fi
cmp out.fp img.raw >/dev/null && check="$check == source img.raw"
rm -f out.pc out.fp out.fp.*
"${chkimg_pc[@]}" >/dev/null 2>&1 || { echo "FAIL: partclone.chkimg rejects img.pc" >&2; exit 1; }
"${verify_fp[@]}" || { echo "FAIL: fpipe verify rejects img.pc" >&2; exit 1; }

# --- timing, alternated ---
: > a.txt; : > b.txt; : > c.txt; : > d.txt
for i in $(seq "$runs"); do
  time_of "${restore_pc[@]}" >> a.txt; rm -f out.pc
  time_of "${restore_fp[@]}" >> b.txt; rm -f out.fp out.fp.*
  time_of "${chkimg_pc[@]}" >> c.txt
  time_of "${verify_fp[@]}" >> d.txt
done

read -r total used bs < <(python3 -c 'import struct,sys; h=open(sys.argv[1],"rb").read(110); print(struct.unpack_from("<Q",h,60)[0], struct.unpack_from("<Q",h,76)[0], struct.unpack_from("<I",h,84)[0])' img.pc)
pcr_s=$(col 1 a.txt); fpr_s=$(col 1 b.txt); pcc_s=$(col 1 c.txt); fpv_s=$(col 1 d.txt)
rss=$(cut -d' ' -f2 b.txt | sort -n | tail -1)
echo "fixture: ext4 $((dev_size / 1048576)) MiB, $bs-byte blocks, $used of $total used ($(awk -v u="$used" -v t="$total" 'BEGIN{printf "%.1f", 100*u/t}') %), image $(( $(stat -c %s img.pc) / 1048576 )) MiB, page-cached"
echo "check:   $check; chkimg and fpipe verify accept the image"
echo "runs: $runs each, alternated"
printf '%-70s %8s %7s %7s %8s\n' "command" "median s" "user s" "sys s" "max RSS"
row() { printf '%-70s %8.2f %7.2f %7.2f %5d MiB\n' "$1" "$(col 1 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "$(max_rss_mib "$2")"; }
row "partclone.restore -W -s IMG -O OUT -f 1 -L /dev/null -q" a.txt
row "fpipe restore IMG OUT --fill sparse --quiet" b.txt
row "partclone.chkimg -s IMG -f 1 -L /dev/null" c.txt
row "fpipe verify IMG --quiet" d.txt
awk -v a="$fpr_s" -v b="$pcr_s" 'BEGIN { printf "ratio restore  fpipe/partclone.restore = %.2f (target <= 0.25)%s\n", a/b, (a/b <= 0.25 ? "" : "  MISSED") }'
awk -v a="$fpv_s" -v b="$pcc_s" 'BEGIN { printf "ratio verify   fpipe/partclone.chkimg  = %.2f (target <= 0.25)%s\n", a/b, (a/b <= 0.25 ? "" : "  MISSED") }'
# partclone's wall time ends at a tick of its progress thread (whole seconds with -f 1), so it can be up
# to ~1 s long; its CPU time (user+sys) is a lower bound of its real work: the stricter ratio.
cpu() { awk '{print $3 + $4}' "$1" | median; }
awk -v a="$fpr_s" -v b="$(cpu a.txt)" -v c="$fpv_s" -v d="$(cpu c.txt)" 'BEGIN { printf "stricter, fpipe wall / partclone user+sys (no progress-tick rounding): restore %.2f, verify %.2f\n", a/b, c/d }'
echo "peak RSS fpipe restore: $((rss / 1024)) MiB (target <= 300 MiB)"
echo "not measured: imagebackup's vpartclone -c (the Python tool fpipe mount follows) - PyPI is not reachable here, so it cannot be installed"
