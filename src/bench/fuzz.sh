#!/usr/bin/env bash
# Fuzzes every @FuzzTest target (Jazzer, JAZZER_FUZZ=1) for $1 seconds each (default 60), one after the other,
# and prints per target: executions, executions per second, coverage (libFuzzer's cov and ft), and findings
# (new crash-* inputs, which Jazzer writes beside the target's seed corpus in src/test/resources as regression
# inputs). A second argument limits the run to targets whose Class#method contains it.
# Usage: src/bench/fuzz.sh [SECONDS] [FILTER]
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
filter="${2:-}"
mvn -q -o -B test-compile >/dev/null 2>&1 || mvn -q -B test-compile
log="$(mktemp)"
printf '%-62s %12s %10s %6s %6s %8s\n' target executions exec/s cov ft findings
for file in $(grep -rl "@FuzzTest" src/test/java); do
  class="$(basename "$file" .java)"
  resources="src/test/resources/$(dirname "${file#src/test/java/}")/${class}Inputs"
  for method in $(grep -A1 "@FuzzTest" "$file" | grep -ao "void [a-zA-Z0-9]*" | cut -d' ' -f2); do
    target="$class#$method"
    [[ -n "$filter" && "$target" != *"$filter"* ]] && continue
    before="$(find "$resources/$method" -name 'crash-*' 2>/dev/null | wc -l)"
    JAZZER_FUZZ=1 mvn -o -B test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -DargLine="-Xmx1g -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$seconds" >"$log" 2>&1
    done_line="$(grep -aE '^Done [0-9]+ runs in' "$log" | tail -1)"
    stats="$(grep -aE '^#[0-9]+' "$log" | tail -1)"
    runs="$(echo "$done_line" | awk '{print $2}')"
    took="$(echo "$done_line" | awk '{print $5}')"
    rate=$([[ -n "$runs" && -n "$took" && "$took" -gt 0 ]] && echo $((runs / took)) || echo "?")
    cov="$(echo "$stats" | grep -ao 'cov: [0-9]*' | awk '{print $2}')"
    ft="$(echo "$stats" | grep -ao 'ft: [0-9]*' | awk '{print $2}')"
    after="$(find "$resources/$method" -name 'crash-*' 2>/dev/null | wc -l)"
    printf '%-62s %12s %10s %6s %6s %8s\n' "$target" "${runs:-?}" "$rate" "${cov:-?}" "${ft:-?}" $((after - before))
    if [[ -z "$runs" ]]; then grep -aE "FuzzTestFinding|Exception|ERROR" "$log" | head -3 | sed 's/^/    /'; fi
  done
done
rm -f "$log"
