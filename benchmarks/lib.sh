# Shared helpers of the benchmark scripts (sourced, not run): timing, medians, and the 2 GiB ext4 partclone
# fixture that compare-partclone.sh, compare-mount.sh and compare-restore.sh all measure.

# time_of CMD… → prints "wall_seconds peak_rss_kib user_s sys_s" of one run; exits on failure
time_of() { /usr/bin/time -f "%e %M %U %S" -o time.out "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat time.out >&2; exit 1; }; cat time.out; }

# settle → call after deleting a previous run's output and before timing the next command. Deleting a
# file frees its page cache, and this VM hands freed memory back to its host from kernel threads for a
# second or so afterwards; without a pause that work lands on the next command's clock. Every command
# of a comparison gets the same pause, so no tool is favoured.
settle() { sync; sleep "${SETTLE_SECONDS:-2}"; }

# median of the numbers on standard input
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# col N FILE → median of column N of the time_of lines in FILE
col() { cut -d' ' -f"$1" "$2" | median; }

# max_rss_mib FILE → the largest peak RSS (column 2, KiB) in FILE, in MiB
max_rss_mib() { echo $(( $(cut -d' ' -f2 "$1" | sort -n | tail -1) / 1024 )); }

# ensure_ext4_partclone_fixture → img.raw (2 GiB ext4, 4 KiB blocks, ~70 % used by files of random content,
# deterministic sizes) and img.pc (partclone.extfs, default CRC groups) in the current folder, built once
ensure_ext4_partclone_fixture() {
  [ -f img.pc ] && [ -f img.raw ] && return 0
  rm -rf src img.raw img.pc img.pc.tmp
  mkdir src
  python3 - src <<'PY'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(20240611)
target = int(2 * 2**30 * 0.65)          # file data; ext4 metadata + journal (~100 MiB) bring it to ~70 %
total = i = 0
while total < target:
    size = min(rnd.randint(4096, 12 * 2**20) + rnd.randint(0, 4095), target - total)
    sub = os.path.join(d, "d%02d" % (i % 16))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%04d.bin" % i), "wb") as f:
        left = size
        while left:
            n = min(left, 4 * 2**20)
            f.write(os.urandom(n))
            left -= n
    total += size
    i += 1
print("built fixture: %d files, %.2f GiB of random data" % (i, total / 2**30))
PY
  mke2fs -q -F -t ext4 -b 4096 -d src img.raw 2G >/dev/null
  rm -rf src
  partclone.extfs -c -s img.raw -O img.pc.tmp -L /dev/null -q >/dev/null 2>&1
  mv img.pc.tmp img.pc
}

# use_native_fpipe REPO → sets $fpipe to the command users run: $FPIPE when set (an installed fpipe, or another
# build to compare), else this tree's Native AOT build, installed by install.sh into ${FPIPE_PREFIX:-/tmp/fpipe-bench-native}
# (rebuilt only where the tree changed). The JIT build (`dotnet build`) starts about 0.3 s slower and reaches full
# speed only after tiering, so timing it would measure something users do not run.
use_native_fpipe() {
  if [ -n "${FPIPE:-}" ]; then
    fpipe=$FPIPE
  else
    local prefix=${FPIPE_PREFIX:-/tmp/fpipe-bench-native}
    PREFIX=$prefix "$1/install.sh" >/dev/null || { echo "install.sh failed" >&2; exit 1; }
    fpipe=$prefix/bin/fpipe
  fi
  [ -x "$fpipe" ] || { echo "no fpipe at $fpipe" >&2; exit 1; }
}
