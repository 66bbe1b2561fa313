#!/usr/bin/env bash
# Fuzz campaign over the targets of tests/ForensicPipe.Fuzz (docs/fuzzing.md): SECONDS per target, one target after
# the other, then one line per target: executions, executions per second, crashes, hangs.
#
#   benchmarks/fuzz-campaign.sh TARGET|all SECONDS
#
# ENGINE=afl (default; apt-get install afl++), libfuzzer (needs LIBFUZZER_DOTNET=path of a libfuzzer-dotnet driver
# built with clang -fsanitize=fuzzer, docs/fuzzing.md, "Engines") or inproc (no engine: fixed-seed mutations without
# coverage, the test run's campaign). The harness is built in Release, copied to WORK/build and its
# ForensicPipe.Formats.dll instrumented with the SharpFuzz.CommandLine tool 2.3.0 (installed into WORK/tools).
# Findings stay in WORK/out/TARGET (afl: crashes/ and hangs/; libFuzzer: crash-*, timeout-*, oom-*); replay one with
#   dotnet WORK/build/ForensicPipe.Fuzz.dll replay TARGET FILE   (on an uninstrumented build: the repository's bin/)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 TARGET|all SECONDS" >&2; exit 2; }
target=$1 seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-afl}
work=${WORK:-/tmp/fpipe-fuzz-campaign}
corpus="$root/tests/ForensicPipe.Fuzz/corpus"
mkdir -p "$work"

dotnet build "$root/tests/ForensicPipe.Fuzz" -c Release -v q -nologo >/dev/null
rm -rf "$work/build"
cp -r "$root/tests/ForensicPipe.Fuzz/bin/Release/net10.0" "$work/build"
harness=(dotnet "$work/build/ForensicPipe.Fuzz.dll")
# name<TAB>corpus folder, one line per target (asked before instrumenting: instrumented code runs only under an engine)
mapfile -t targets < <("${harness[@]}" list | awk -v t="$target" '$1 == t || t == "all" { print $1 "\t" $2 }')
[ ${#targets[@]} -gt 0 ] || { echo "no target '$target'; $("${harness[@]}" list | cut -f1 | tr '\n' ' ')" >&2; exit 2; }
if [ "$engine" != inproc ]; then
  [ -x "$work/tools/sharpfuzz" ] || dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  "$work/tools/sharpfuzz" "$work/build/ForensicPipe.Formats.dll" >/dev/null
fi

echo "engine=$engine seconds=$seconds load_average=$(cut -d' ' -f1-3 /proc/loadavg) cores=$(nproc)"
printf '%-14s %12s %10s %8s %6s\n' target executions execs/s crashes hangs
for line in "${targets[@]}"; do
  name=${line%%$'\t'*} seeds="$corpus/${line#*$'\t'}"
  out="$work/out/$name"
  rm -rf "$out"; mkdir -p "$out"
  case $engine in
    afl)
      AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 \
        timeout $((seconds + 120)) afl-fuzz -i "$seeds" -o "$out" -t 1000 -m none -V "$seconds" -- "${harness[@]}" "$name" \
        >"$out/afl.log" 2>&1 || true
      stats="$out/default/fuzzer_stats"
      [ -f "$stats" ] || { echo "$name: afl-fuzz did not start, see $out/afl.log" >&2; continue; }
      get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
      printf '%-14s %12s %10s %8s %6s\n' "$name" "$(get execs_done)" "$(get execs_per_sec)" "$(get saved_crashes)" "$(get saved_hangs)"
      ;;
    libfuzzer)
      [ -x "${LIBFUZZER_DOTNET:-}" ] || { echo "ENGINE=libfuzzer needs LIBFUZZER_DOTNET (docs/fuzzing.md, \"Engines\")" >&2; exit 2; }
      mkdir -p "$out/corpus"; cp "$seeds"/* "$out/corpus/"
      # libFuzzer stops at its first finding; -timeout=1 is the hang limit.
      timeout $((seconds + 120)) "$LIBFUZZER_DOTNET" --target_path=dotnet --target_args="$work/build/ForensicPipe.Fuzz.dll,$name,--libfuzzer" \
        -max_total_time="$seconds" -timeout=1 -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" >"$out/libfuzzer.log" 2>&1 || true
      get() { sed -n "s/^stat::$1: *//p" "$out/libfuzzer.log" | tail -1; }
      crashes=$(find "$out" -maxdepth 1 \( -name 'crash-*' -o -name 'oom-*' \) | wc -l)
      hangs=$(find "$out" -maxdepth 1 -name 'timeout-*' | wc -l)
      printf '%-14s %12s %10s %8s %6s\n' "$name" "$(get number_of_executed_units)" "$(get average_exec_per_sec)" "$crashes" "$hangs"
      ;;
    inproc)
      result=$("${harness[@]}" campaign "$name" "$seconds" "$seeds" || true)
      field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result" | head -1; }
      printf '%-14s %12s %10s %8s %6s\n' "$name" "$(field executions)" "$(field execs_per_s)" "$(field crashes)" "$(field hangs)"
      ;;
    *) echo "ENGINE must be afl, libfuzzer or inproc" >&2; exit 2 ;;
  esac
  # The engine kills the harness at the end, so its scratch folder (FuzzScratch: /dev/shm/fpipe-fuzz-PID-…) stays:
  # remove those whose process is gone.
  for d in /dev/shm/fpipe-fuzz-*; do
    [ -d "$d" ] || continue
    pid=${d#/dev/shm/fpipe-fuzz-}; pid=${pid%%-*}
    kill -0 "$pid" 2>/dev/null || rm -rf "$d"
  done
done
echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)"
