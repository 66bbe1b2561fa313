#!/usr/bin/env bash
# Whole-process comparison of `fpipe verify` with `partclone.chkimg` of partclone 0.3.47 on images of the
# 2 GiB ext4 fixture of lib.sh (4 KiB blocks, ~70 % full of random-content files) written by partclone 0.3.47
# with XXH3-128 checksums as Clonezilla saves them since 2026-04 (-a3 -z 10485760: 2560 blocks per checksum),
# with XXH64 (-a2) and with XXH3-128 reseed off (-a3 -K). Commands run alternately (A B A B …); medians and
# ratios are reported.
#
#   benchmarks/compare-partclone-xxh.sh [WORKDIR] [RUNS]     (WORKDIR default /tmp/fpipe-bench-pc-xxh, RUNS 5)
#
# Needs: root, partclone 0.3.47 in $PARTCLONE_0347 (default /opt/partclone-0.3.47/sbin; Debian's 0.3.23 has
# no XXH), mke2fs ≥ 1.43, python3, GNU time. Builds fpipe in Release first. The fixture (img.raw and the three
# images, ~1.5 GiB each) is cached in WORKDIR; delete it to rebuild.
#
# partclone notes: chkimg rounds its wall time up to a tick of its progress thread, so it gets -f 1 (the
# stricter user+sys ratio is printed too); it has no -q; -L /dev/null keeps its log out of the way. It is run
# with its default 1 MiB buffer, as Clonezilla's ocs-chkimg does.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc-xxh}
runs=${2:-5}
pc=${PARTCLONE_0347:-/opt/partclone-0.3.47/sbin}
"$pc/partclone.chkimg" -v 2>&1 | grep -q 'v0.3.47' || { echo "partclone 0.3.47 not found in $pc" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "partclone needs root" >&2; exit 1; }
mkdir -p "$work"
cd "$work"
use_native_fpipe "$here"

ensure_ext4_partclone_fixture
rm -f img.pc   # lib.sh's CRC-32 image is not measured here
declare -A options=([xxh3-clonezilla]="-a3 -z 10485760" [xxh64]="-a2" [xxh3-noreseed]="-a3 -K")
for name in xxh3-clonezilla xxh64 xxh3-noreseed; do
  if [ ! -f "$name.pc" ]; then
    # shellcheck disable=SC2086
    "$pc/partclone.extfs" -c ${options[$name]} -s img.raw -O "$name.pc.tmp" -L /dev/null -q >/dev/null 2>&1
    mv "$name.pc.tmp" "$name.pc"
  fi
done

printf '%-64s %8s %7s %7s %8s\n' "command" "median s" "user s" "sys s" "max RSS"
row() { printf '%-64s %8.2f %7.2f %7.2f %5d MiB\n' "$1" "$(col 1 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "$(max_rss_mib "$2")"; }
cpu() { awk '{print $3 + $4}' "$1" | median; }
for name in xxh3-clonezilla xxh64 xxh3-noreseed; do
  cat "$name.pc" > /dev/null   # page-cache the image
  chkimg=("$pc/partclone.chkimg" -s "$name.pc" -f 1 -L /dev/null)
  verify=("$fpipe" verify "$name.pc" --quiet --overwrite --report "$name.verify.report.json")
  # Correctness before timing: both accept the image, and fpipe checked every stored value.
  "${chkimg[@]}" >/dev/null 2>&1 || { echo "FAIL: partclone.chkimg rejects $name.pc" >&2; exit 1; }
  "${verify[@]}" || { echo "FAIL: fpipe verify rejects $name.pc" >&2; exit 1; }
  python3 - "$name.pc" "$name.verify.report.json" <<'PY'
import json, struct, sys
h = open(sys.argv[1], 'rb').read(110)
used, bpc = struct.unpack_from('<Q', h, 76)[0], struct.unpack_from('<I', h, 100)[0]
checked = json.load(open(sys.argv[2]))['verification']['checked']
assert checked == -(-used // bpc) + 2, (checked, used, bpc)
PY
  : > a.txt; : > b.txt
  for i in $(seq "$runs"); do
    time_of "${chkimg[@]}" >> a.txt
    time_of "${verify[@]}" >> b.txt
  done
  echo "$name ($(python3 -c 'import struct,sys; h=open(sys.argv[1],"rb").read(110); print("mode 0x%02x, %d blocks per checksum, reseed %d" % (struct.unpack_from("<H",h,96)[0], struct.unpack_from("<I",h,100)[0], h[104]))' "$name.pc"), image $(( $(stat -c %s "$name.pc") / 1048576 )) MiB, page-cached, $runs runs each):"
  row "  partclone.chkimg 0.3.47 -s IMG -f 1 -L /dev/null" a.txt
  row "  fpipe verify IMG --quiet" b.txt
  awk -v a="$(col 1 b.txt)" -v b="$(col 1 a.txt)" -v c="$(cpu a.txt)" 'BEGIN { printf "  ratio fpipe/chkimg wall = %.2f (target <= 0.40)%s; fpipe wall / chkimg user+sys = %.2f\n", a/b, (a/b <= 0.40 ? "" : "  MISSED"), a/c }'
done
