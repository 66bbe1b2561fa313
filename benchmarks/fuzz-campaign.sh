#!/usr/bin/env bash
# Fuzz campaign over the targets of tests/ForensicPipe.Fuzz (docs/fuzzing.md): SECONDS per target, one target after
# the other in each of LANES parallel lanes (default 1; 2 on a 2-core machine: one engine per core), then one line
# per target: executions, executions per second, crashes, hangs, the time it ran and (afl) stability.
#
#   benchmarks/fuzz-campaign.sh TARGET|all|T1,T2:SECONDS2,... SECONDS
#
# A list may give a target its own seconds (NAME:SECONDS). Each lane takes the next target not yet taken, in the order
# given, when its previous one ends. With EXECS=N (afl only) a target stops after about N executions (afl-fuzz -E), its
# SECONDS being the cap: `EXECS=1000000 LANES=2 ... all 3600` runs every target to a million and prints the wall time
# of the whole campaign. ENGINE=afl (default; apt-get install afl++), libfuzzer (needs
# LIBFUZZER_DOTNET=path of a libfuzzer-dotnet driver built with clang -fsanitize=fuzzer, docs/fuzzing.md, "Engines")
# or inproc (no engine: fixed-seed mutations without coverage, the test run's campaign). The harness is built in
# Release, copied to WORK/build and its ForensicPipe.Formats.dll instrumented with the SharpFuzz.CommandLine tool
# 2.3.0 (installed into WORK/tools). Findings stay in WORK/out/TARGET (afl: crashes/ and hangs/; libFuzzer: crash-*,
# timeout-*, oom-*); the table is also written to WORK/results.txt. Replay a finding with
#   dotnet WORK/build/ForensicPipe.Fuzz.dll replay TARGET FILE   (on an uninstrumented build: the repository's bin/)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 TARGET|all|T1,T2:SECONDS2,... SECONDS" >&2; exit 2; }
target=$1 seconds=$2 lanes=${LANES:-1} execs=${EXECS:-}
root=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-afl}
work=${WORK:-/tmp/fpipe-fuzz-campaign}
corpus="$root/tests/ForensicPipe.Fuzz/corpus"
mkdir -p "$work"

dotnet build "$root/tests/ForensicPipe.Fuzz" -c Release -v q -nologo >/dev/null
rm -rf "$work/build"
cp -r "$root/tests/ForensicPipe.Fuzz/bin/Release/net10.0" "$work/build"
harness=(dotnet "$work/build/ForensicPipe.Fuzz.dll")
# name<TAB>corpus folder<TAB>seconds, in the order given (asked before instrumenting: instrumented code runs only under an engine)
mapfile -t targets < <("${harness[@]}" list | awk -v t="$target" -v s="$seconds" '
  BEGIN { n = split(t, want, ","); for (i = 1; i <= n; i++) { split(want[i], p, ":"); order[p[1]] = i; secs[p[1]] = (p[2] == "" ? s : p[2]) } }
  t == "all" { print 0 "\t" $1 "\t" $2 "\t" s; next }
  $1 in order { print order[$1] "\t" $1 "\t" $2 "\t" secs[$1] }' | sort -s -n -k1,1 | cut -f2-)
[ ${#targets[@]} -gt 0 ] || { echo "no target '$target'; $("${harness[@]}" list | cut -f1 | tr '\n' ' ')" >&2; exit 2; }
if [ "$engine" != inproc ]; then
  [ -x "$work/tools/sharpfuzz" ] || dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  "$work/tools/sharpfuzz" "$work/build/ForensicPipe.Formats.dll" >/dev/null
fi

[ -z "$execs" ] || [ "$engine" = afl ] || { echo "EXECS needs ENGINE=afl" >&2; exit 2; }
campaign_start=$(date +%s)
echo "engine=$engine lanes=$lanes${execs:+ execs=$execs} load_average=$(cut -d' ' -f1-3 /proc/loadavg) cores=$(nproc) start=$(date +%H:%M:%S)" | tee "$work/results.txt"

# run_target NAME SEEDS SECONDS → one table line in WORK/out/NAME/result
run_target() {
  local name=$1 seeds=$2 seconds=$3 out="$work/out/$1" started
  rm -rf "$out"; mkdir -p "$out"
  started=$(date +%s)
  case $engine in
    afl)
      # AFL_FAST_CAL: 3 calibration runs per queue entry instead of 8 (each run of a .NET target is slow enough
      # that calibration would eat minutes of a short campaign).
      # AFL_TMPDIR: afl writes every input to TMPDIR/.cur_input; in tmpfs, one folder per instance (the name is fixed).
      local tmp="/dev/shm/fpipe-afl-$name"
      mkdir -p "$tmp"
      AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_FAST_CAL=1 AFL_TMPDIR="$tmp" \
        timeout $((seconds + 120)) afl-fuzz -i "$seeds" -o "$out" -t 1000 -m none -V "$seconds" ${execs:+-E "$execs"} -- "${harness[@]}" "$name" \
        >"$out/afl.log" 2>&1 || true
      rm -rf "$tmp"
      local stats="$out/default/fuzzer_stats"
      [ -f "$stats" ] || { echo "$name: afl-fuzz did not start, see $out/afl.log" >&2; return; }
      get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
      # afl's stability: the share of edges the same input always hits (docs/fuzzing.md, "Figures").
      line=$(printf '%-14s %12s %10s %8s %6s %7s %9s' "$name" "$(get execs_done)" "$(get execs_per_sec)" "$(get saved_crashes)" "$(get saved_hangs)" "$(( $(get last_update) - $(get start_time) ))" "$(get stability)")
      ;;
    libfuzzer)
      [ -x "${LIBFUZZER_DOTNET:-}" ] || { echo "ENGINE=libfuzzer needs LIBFUZZER_DOTNET (docs/fuzzing.md, \"Engines\")" >&2; exit 2; }
      mkdir -p "$out/corpus"; cp "$seeds"/* "$out/corpus/"
      # libFuzzer stops at its first finding; -timeout=1 is the hang limit.
      timeout $((seconds + 120)) "$LIBFUZZER_DOTNET" --target_path=dotnet --target_args="$work/build/ForensicPipe.Fuzz.dll,$name,--libfuzzer" \
        -max_total_time="$seconds" -timeout=1 -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" >"$out/libfuzzer.log" 2>&1 || true
      get() { sed -n "s/^stat::$1: *//p" "$out/libfuzzer.log" | tail -1; }
      local crashes hangs
      crashes=$(find "$out" -maxdepth 1 \( -name 'crash-*' -o -name 'oom-*' \) | wc -l)
      hangs=$(find "$out" -maxdepth 1 -name 'timeout-*' | wc -l)
      line=$(printf '%-14s %12s %10s %8s %6s %7s' "$name" "$(get number_of_executed_units)" "$(get average_exec_per_sec)" "$crashes" "$hangs" "$(( $(date +%s) - started ))")
      ;;
    inproc)
      local result
      result=$("${harness[@]}" campaign "$name" "$seconds" "$seeds" || true)
      field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result" | head -1; }
      line=$(printf '%-14s %12s %10s %8s %6s %7s' "$name" "$(field executions)" "$(field execs_per_s)" "$(field crashes)" "$(field hangs)" "$(( $(date +%s) - started ))")
      ;;
    *) echo "ENGINE must be afl, libfuzzer or inproc" >&2; exit 2 ;;
  esac
  echo "$line" >"$out/result"
  echo "$line  load=$(cut -d' ' -f1 /proc/loadavg) at $(date +%H:%M:%S)" >&2
  # The engine kills the harness at the end, so its scratch folder (FuzzScratch: /dev/shm/fpipe-fuzz-PID-…) stays:
  # remove those whose process is gone.
  for d in /dev/shm/fpipe-fuzz-*; do
    [ -d "$d" ] || continue
    pid=${d#/dev/shm/fpipe-fuzz-}; pid=${pid%%-*}
    kill -0 "$pid" 2>/dev/null || rm -rf "$d"
  done
}

# The lanes run at once; each takes the next target of the queue (a counter under a lock) until none is left.
printf '%s\n' "${targets[@]}" >"$work/queue"
echo 0 >"$work/queue.next"
take_target() {
  local n
  exec 9>"$work/queue.lock"
  flock 9
  n=$(cat "$work/queue.next")
  echo $((n + 1)) >"$work/queue.next"
  flock -u 9
  sed -n "$((n + 1))p" "$work/queue"
}
pids=()
for ((l = 0; l < lanes; l++)); do
  (
    while line=$(take_target) && [ -n "$line" ]; do
      IFS=$'\t' read -r name folder secs <<<"$line"
      run_target "$name" "$corpus/$folder" "$secs"
    done
  ) &
  pids+=($!)
done
wait "${pids[@]}" || true

printf '%-14s %12s %10s %8s %6s %7s %9s\n' target executions execs/s crashes hangs seconds stability | tee -a "$work/results.txt"
for line in "${targets[@]}"; do
  name=${line%%$'\t'*}
  [ -f "$work/out/$name/result" ] && tee -a "$work/results.txt" <"$work/out/$name/result"
done
echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg) end=$(date +%H:%M:%S) wall_seconds=$(( $(date +%s) - campaign_start ))" | tee -a "$work/results.txt"
