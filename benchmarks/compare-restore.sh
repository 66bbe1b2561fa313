#!/usr/bin/env bash
# Whole-process comparison of `fpipe restore IMG /dev/loopN --yes` with `partclone.restore -o /dev/loopN` on a
# partclone image of a 2 GiB ext4 (4 KiB blocks, ~70 % full of random files), restored onto the same 2 GiB
# loop device. fpipe skips the blocks the image does not contain (its default on a device, what partclone
# does too); a second fpipe column adds --verify (read-back with direct I/O + SHA-256 of sent and read).
# Commands alternate (A B C A B C …); medians and ratios are reported, with the load average.
#
#   benchmarks/compare-restore.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pc, RUNS 5)
#
# Needs root (loop device), partclone 0.3.x, mke2fs ≥ 1.43, python3, cmp, GNU time. The fixture (img.raw,
# img.pc) is shared with compare-partclone.sh and cached in WORKDIR. The loop device made here is detached
# on exit, also on failure. partclone gets -f 1 because it rounds its wall time up to its progress period.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
[ "$(id -u)" = 0 ] || { echo "needs root (loop device, partclone)" >&2; exit 1; }
for t in partclone.extfs partclone.restore mke2fs python3 cmp losetup; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
use_native_fpipe "$here"

ensure_ext4_partclone_fixture
cat img.pc > /dev/null

rm -f target.img && truncate -s 2G target.img
loop=$(losetup -f --show target.img)
trap 'losetup -d "$loop"; rm -f "$work/target.img" "$work"/*.restore.report.*' EXIT


restore_pc=(partclone.restore -s img.pc -o "$loop" -f 1 -L /dev/null -q)
restore_fp=("$fpipe" restore img.pc "$loop" --yes --quiet --overwrite)
verify_fp=("$fpipe" restore img.pc "$loop" --yes --verify --quiet --overwrite)

# --- correctness, once, before timing: each restore leaves the device equal to the file system ---
"${restore_pc[@]}" >/dev/null 2>&1; cmp "$loop" img.raw || { echo "FAIL: partclone's restore differs" >&2; exit 1; }
dd if=/dev/zero of="$loop" bs=4M oflag=direct status=none 2>/dev/null || true
"${verify_fp[@]}"; cmp "$loop" img.raw || { echo "FAIL: fpipe's restore differs" >&2; exit 1; }

: > a.times; : > b.times; : > c.times
for i in $(seq "$runs"); do
  time_of "${restore_pc[@]}" >> a.times
  time_of "${restore_fp[@]}" >> b.times
  time_of "${verify_fp[@]}" >> c.times
done
cmp "$loop" img.raw || { echo "FAIL: device differs after the timed runs" >&2; exit 1; }

used=$(python3 -c 'import struct,sys; h=open(sys.argv[1],"rb").read(120); print(struct.unpack_from("<Q",h,68)[0]*struct.unpack_from("<I",h,84)[0])' img.pc)
a=$(col 1 a.times); b=$(col 1 b.times); c=$(col 1 c.times)
printf 'restore of %s (%d bytes used) onto %s (2 GiB loop device), %d runs, load %s\n' img.pc "$used" "$loop" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %10s %8s %8s %8s\n' command wall_s rss_kib user_s sys_s ratio
printf '%-34s %8s %10s %8s %8s %8s\n' "partclone.restore -o" "$a" "$(col 2 a.times)" "$(col 3 a.times)" "$(col 4 a.times)" 1.00
printf '%-34s %8s %10s %8s %8s %8s\n' "fpipe restore --yes" "$b" "$(col 2 b.times)" "$(col 3 b.times)" "$(col 4 b.times)" "$(python3 -c "print(f'{$b/$a:.2f}')")"
printf '%-34s %8s %10s %8s %8s %8s\n' "fpipe restore --yes --verify" "$c" "$(col 2 c.times)" "$(col 3 c.times)" "$(col 4 c.times)" "$(python3 -c "print(f'{$c/$a:.2f}')")"
echo "targets: fpipe ≤ 0.50×, with --verify ≤ 0.80× of partclone.restore"
