#!/usr/bin/env bash
# Whole-process comparison of E01 acquisition and verification with the peer, libewf's ewf-tools (issue 15's
# figures), on the raw 2 GiB ext4 (4 KiB blocks, ~70 % full of random files) that compare-partclone.sh uses:
#   A  ewfacquire -u -c fast -d sha1 img.raw                         (EnCase 6, 32 KiB chunks, MD5 + SHA-1)
#   B  fpipe image img.raw case.E01 --compression fast --hash md5,sha1
#   C  ewfverify case.E01
#   D  fpipe verify case.E01
# Before timing, each tool checks the other's output: ewfverify accepts fpipe's set with the MD5 of img.raw, and
# fpipe verifies ewfacquire's set. Runs alternate A B A B … (then C D C D …), each after `sync` and a pause
# (lib.sh settle); medians of wall time, user and system time, and the largest peak RSS (/usr/bin/time) are
# reported with the load average. Targets: B ≤ 0.20× A, D ≤ 0.50× C, peak RSS of B and D ≤ 300 MiB.
#
#   benchmarks/compare-e01.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pc, RUNS 5)
#
# Needs ewf-tools, partclone and mke2fs ≥ 1.43 (the shared fixture), python3, GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
for t in ewfacquire ewfverify partclone.extfs mke2fs python3 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
use_native_fpipe "$here"

ensure_ext4_partclone_fixture
trap 'rm -f "$work"/acq.E?? "$work"/case.E?? "$work"/case.E??.partial "$work"/case.E01.*report.* "$work"/verify.e01.report.* "$work"/acq.E01.*report.*' EXIT

clean_case() { rm -f case.E?? case.E??.partial case.E01.*report.*; }
image_ewf=(ewfacquire -u -q -c fast -d sha1 -t acq img.raw)
image_fp=("$fpipe" image img.raw case.E01 --compression fast --hash md5,sha1 --quiet)
verify_ewf=(ewfverify -q case.E01)
verify_fp=("$fpipe" verify case.E01 --quiet --report verify.e01.report.json --overwrite)

# --- correctness, once, before timing ---
md5=$(md5sum < img.raw | cut -d' ' -f1)
rm -f acq.E??; clean_case
"${image_ewf[@]}" >/dev/null
"${image_fp[@]}"
# (ewfverify's output is kept first: grep -q ending the pipe early would be a SIGPIPE failure under pipefail)
checked=$(ewfverify -q case.E01) || { echo "FAIL: ewfverify does not accept fpipe's set" >&2; exit 1; }
grep -q "MD5 hash calculated over data:.*$md5" <<< "$checked" || { echo "FAIL: ewfverify reports another MD5 for fpipe's set" >&2; exit 1; }
"$fpipe" verify acq.E01 --quiet --report verify.e01.report.json --overwrite || { echo "FAIL: fpipe does not verify ewfacquire's set" >&2; exit 1; }
grep -q "$md5" verify.e01.report.json || { echo "FAIL: fpipe's verify report of ewfacquire's set lacks the MD5" >&2; exit 1; }
ewf_size=$(cat acq.E?? | wc -c); fp_size=$(cat case.E?? | wc -c)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

: > a.times; : > b.times; : > c.times; : > d.times
for i in $(seq "$runs"); do
  rm -f acq.E??; settle; time_of "${image_ewf[@]}" >> a.times
  clean_case; settle; time_of "${image_fp[@]}" >> b.times
done
for i in $(seq "$runs"); do
  settle; time_of "${verify_ewf[@]}" >> c.times
  settle; time_of "${verify_fp[@]}" >> d.times
done

a=$(col 1 a.times); b=$(col 1 b.times); c=$(col 1 c.times); d=$(col 1 d.times)
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
printf 'E01 of img.raw (2 GiB ext4, ~70 %% full of random files), %d runs, %d processors, load %s before, %s after\n' \
  "$runs" "$(nproc)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'set sizes: ewfacquire %d bytes, fpipe %d bytes\n' "$ewf_size" "$fp_size"
printf '%-58s %8s %12s %8s %8s %6s\n' command wall_s max_rss_MiB user_s sys_s ratio
printf '%-58s %8s %12s %8s %8s %6s\n' "ewfacquire -u -c fast -d sha1" "$a" "$(max_rss_mib a.times)" "$(col 3 a.times)" "$(col 4 a.times)" 1.00
printf '%-58s %8s %12s %8s %8s %6s\n' "fpipe image img.raw case.E01 --compression fast --hash md5,sha1" "$b" "$(max_rss_mib b.times)" "$(col 3 b.times)" "$(col 4 b.times)" "$(ratio "$b" "$a")"
printf '%-58s %8s %12s %8s %8s %6s\n' "ewfverify case.E01" "$c" "$(max_rss_mib c.times)" "$(col 3 c.times)" "$(col 4 c.times)" 1.00
printf '%-58s %8s %12s %8s %8s %6s\n' "fpipe verify case.E01" "$d" "$(max_rss_mib d.times)" "$(col 3 d.times)" "$(col 4 d.times)" "$(ratio "$d" "$c")"
echo "targets: fpipe image ≤ 0.20× ewfacquire, fpipe verify ≤ 0.50× ewfverify, peak RSS ≤ 300 MiB"
