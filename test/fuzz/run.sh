#!/usr/bin/env bash
# run.sh SECONDS TARGET...: run each libFuzzer target for SECONDS over its grown corpus and
# committed seeds; print executions, corpus size and crashes per target; fail on any crash.
set -u
cd "$(dirname "$0")/../.."
secs="$1"; shift
out=build-san/fuzz
fail=0
printf '%-12s %12s %9s %8s %8s\n' target executions exec/s corpus crashes
for t in "$@"; do
  corpus="$out/corpus/$t" crashes="$out/crashes/$t" log="$out/$t.log"
  mkdir -p "$corpus" "$crashes"
  "build-san/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" "test/fuzz/seeds/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-12s %12s %9s %8s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "$(ls "$corpus" | wc -l)" "$(ls "$crashes" | wc -l)"
  if [ "$rc" -ne 0 ]; then
    fail=1
    grep -E 'fuzz check failed|ERROR: |SUMMARY|Test unit written' "$log" | head -n 8
  fi
done
[ "$fail" = 0 ] && echo "fuzz: no crash" || echo "fuzz: FAILED (inputs in $out/crashes/, logs in $out/*.log)"
exit "$fail"
