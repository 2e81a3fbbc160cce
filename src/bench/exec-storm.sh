#!/usr/bin/env bash
# Exec storm: thousands of short processes (500 distinct command lines, the rest repeats) started as fast as one
# shell can, captured by the agent in each Process_Mode and by forkstat (same proc connector interface) when it
# is installed. Prints executions with exact command line, with a wrong one (another process's), the rest (unread
# or missed), and CPU seconds per
# 1,000 executions in steady state: WARMUPS warm-up storms run first (3 by default: the JVM's JIT compiles the
# hot path in tiers over several storms, a cost a long-running device pays once at start, not per execution);
# forkstat gets the same warm-ups. Needs root (proc connector, audit) and the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${N:-5000}
modes=${MODES:-"2 4 3"}
warmups=${WARMUPS:-3}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
work=$(mktemp -d)
tck=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
storm() { # RUN: n executions of /bin/true storm-RUN-k, k = i mod 500
  bash -c "for ((i=0;i<$n;i++)); do /bin/true storm-$1-\$((i % 500)); done"
}
warm_up() {
  for ((w=0;w<warmups;w++)); do storm "warmup$RANDOM"; sleep 2; done
}
report() { # LABEL KIND FILE RUN TICKS SECONDS
  local counts
  counts=$(java -cp "$cp" io.microagent.bench.ExecStormReport "$2" "$3" "$4" "$n")
  printf '%-22s executions=%d %s cpu_s_per_1000=%.3f storm_s=%s\n' "$1" "$n" "$counts" \
    "$(echo "$5 / $tck / $n * 1000" | bc -l)" "$6"
}

for mode in $modes; do
  run="m$mode$RANDOM"
  out="$work/agent-$mode.jsonl"
  java "-javaagent:target/iot-micro-agent.jar=Process_Mode=$mode,Process_PollingInterval=100ms,Process_CacheSize=100000,CollectorsCore_PriorityIntervals=1d,1d,1d,Output_File=$out,Agent_StateDirectory=$work/state,Agent_LogLevel=Warning" \
    -cp target/test-classes io.microagent.bench.StartupProbe idle > "$work/app-$mode.txt" &
  pid=$!
  until grep -q ready "$work/app-$mode.txt" 2>/dev/null; do sleep 0.1; done
  warm_up
  t0=$(cpu_ticks $pid); s0=$(date +%s.%N)
  storm "$run"
  s1=$(date +%s.%N)
  sleep 3 # let the agent finish reading what the storm queued
  t1=$(cpu_ticks $pid)
  kill -TERM $pid; wait $pid || true
  report "agent Process_Mode=$mode" agent "$out" "$run" $((t1 - t0)) "$(echo "$s1 - $s0" | bc -l | cut -c1-5)"
done

if command -v forkstat >/dev/null; then
  run="fs$RANDOM"
  forkstat -l -e exec > "$work/forkstat.txt" 2>&1 &
  fpid=$!
  sleep 1
  warm_up
  t0=$(cpu_ticks $fpid); s0=$(date +%s.%N)
  storm "$run"
  s1=$(date +%s.%N)
  sleep 3
  t1=$(cpu_ticks $fpid)
  kill -INT $fpid; wait $fpid || true
  report "forkstat" forkstat "$work/forkstat.txt" "$run" $((t1 - t0)) "$(echo "$s1 - $s0" | bc -l | cut -c1-5)"
else
  echo "forkstat is not installed (apt-get install forkstat): no comparison"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$work"
