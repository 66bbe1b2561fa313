#!/usr/bin/env bash
# Whole-process comparison of E01 acquisition and verification with the peer, libewf's ewf-tools, on the raw
# 2 GiB ext4 (4 KiB blocks, ~70 % full of random files) that compare-partclone.sh also uses:
#   A  ewfacquire -u -c fast -d sha1 img.raw          (EnCase 6, 32 KiB chunks, MD5 + SHA-1)
#   B  fpipe: img.raw → case.E01, compression fast, hash md5,sha1   (a job file with the e01 sink)
#   C  ewfverify acq.E01                               (the set ewfacquire made)
#   D  fpipe: acq.E01 → verify stage → null sink       (same set: every chunk, stored MD5 and SHA-1)
# Before timing, each tool checks the other's output: ewfverify accepts fpipe's set and fpipe verifies
# ewfacquire's, with the same MD5. Commands alternate (A B A B …, then C D C D …); medians and ratios are
# reported, with the load average. Targets: B ≤ 0.20× A, D ≤ 0.50× C.
#
#   benchmarks/compare-e01.sh [WORKDIR] [RUNS]      (WORKDIR default /tmp/fpipe-bench-pc, RUNS 5)
#
# Needs ewf-tools, partclone and mke2fs ≥ 1.43 (the shared fixture), python3, GNU time. The jobs go through
# `fpipe run`, so only the e01 source and sink need to be registered; once `fpipe image … case.E01` and
# `fpipe verify case.E01` exist, set FPIPE_E01_CLI=1 to time those commands instead.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/benchmarks/lib.sh"
work=${1:-/tmp/fpipe-bench-pc}
runs=${2:-5}
mkdir -p "$work"
cd "$work"
for t in ewfacquire ewfverify partclone.extfs mke2fs python3; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done
use_native_fpipe "$here"

ensure_ext4_partclone_fixture
cat img.raw > /dev/null
trap 'rm -f "$work"/acq.E* "$work"/case.E* "$work"/*.e01*.report.* "$work"/e01-*.job.json "$work"/*.E01.partial' EXIT

cat > e01-image.job.json <<'JSON'
{ "source": { "type": "file", "path": "img.raw" },
  "stages": [ { "type": "hash", "algorithms": ["md5", "sha1"] } ],
  "sinks": [ { "type": "e01", "path": "case.E01", "compression": "fast", "overwrite": true,
               "case": { "number": "bench", "examiner": "compare-e01.sh" } } ],
  "report": { "path": "image.e01.report.json", "overwrite": true } }
JSON
cat > e01-verify.job.json <<'JSON'
{ "source": { "type": "e01", "path": "acq.E01" },
  "stages": [ { "type": "verify" } ],
  "sinks": [ { "type": "null" } ],
  "report": { "path": "verify.e01.report.json", "overwrite": true } }
JSON
if [ "${FPIPE_E01_CLI:-0}" = 1 ]; then
  image_fp=("$fpipe" image img.raw case.E01 --compression fast --hash md5,sha1 --quiet --overwrite)
  verify_fp=("$fpipe" verify acq.E01 --quiet)
else
  image_fp=("$fpipe" run e01-image.job.json --quiet)
  verify_fp=("$fpipe" run e01-verify.job.json --quiet)
fi
image_ewf=(ewfacquire -u -q -c fast -d sha1 -t acq img.raw)
verify_ewf=(ewfverify -q acq.E01)

# --- correctness, once, before timing ---
md5=$(md5sum < img.raw | cut -d' ' -f1)
rm -f acq.E* case.E*
"${image_ewf[@]}" >/dev/null
"${image_fp[@]}"
ewfverify -q case.E01 | grep -q "MD5 hash calculated over data:.*$md5" || { echo "FAIL: ewfverify does not accept fpipe's set" >&2; exit 1; }
"${verify_fp[@]}" || { echo "FAIL: fpipe does not verify ewfacquire's set" >&2; exit 1; }
grep -q "$md5" verify.e01.report.json || { echo "FAIL: fpipe's verify report lacks the MD5" >&2; exit 1; }

: > a.times; : > b.times; : > c.times; : > d.times
for i in $(seq "$runs"); do
  rm -f acq.E*; settle; time_of "${image_ewf[@]}" >> a.times
  rm -f case.E*; settle; time_of "${image_fp[@]}" >> b.times
done
ewf_size=$(cat acq.E* | wc -c); fp_size=$(cat case.E* | wc -c)
for i in $(seq "$runs"); do
  time_of "${verify_ewf[@]}" >> c.times
  time_of "${verify_fp[@]}" >> d.times
done

a=$(col 1 a.times); b=$(col 1 b.times); c=$(col 1 c.times); d=$(col 1 d.times)
printf 'E01 of img.raw (2 GiB ext4, ~70 %% full), %d runs, %d processors, load %s\n' "$runs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'set sizes: ewfacquire %d bytes, fpipe %d bytes\n' "$ewf_size" "$fp_size"
printf '%-40s %8s %10s %8s %8s %8s\n' command wall_s rss_kib user_s sys_s ratio
printf '%-40s %8s %10s %8s %8s %8s\n' "ewfacquire -c fast -d sha1" "$a" "$(col 2 a.times)" "$(col 3 a.times)" "$(col 4 a.times)" 1.00
printf '%-40s %8s %10s %8s %8s %8s\n' "fpipe → E01 fast, md5+sha1" "$b" "$(col 2 b.times)" "$(col 3 b.times)" "$(col 4 b.times)" "$(python3 -c "print(f'{$b/$a:.2f}')")"
printf '%-40s %8s %10s %8s %8s %8s\n' "ewfverify" "$c" "$(col 2 c.times)" "$(col 3 c.times)" "$(col 4 c.times)" 1.00
printf '%-40s %8s %10s %8s %8s %8s\n' "fpipe verify (E01)" "$d" "$(col 2 d.times)" "$(col 3 d.times)" "$(col 4 d.times)" "$(python3 -c "print(f'{$d/$c:.2f}')")"
echo "targets: fpipe E01 acquisition ≤ 0.20× ewfacquire, fpipe E01 verify ≤ 0.50× ewfverify"
