#!/usr/bin/env bash
# Whole-process cost of the agent: wall time added to a hello-world JVM, time until the agent runs, and the heap
# an idle agent retains. Needs the packaged jar (mvn -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-15}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile
state=$(mktemp -d)
agent="-javaagent:target/iot-micro-agent.jar=Agent_StateDirectory=$state,Output_Stdout=false"
cp=target/test-classes

median_ms() { # command... : median wall time of $runs runs, in ms
  local times=()
  for _ in $(seq "$runs"); do
    local t0=$(date +%s%N); "$@" >/dev/null 2>&1; local t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

plain=$(median_ms java -cp $cp io.microagent.bench.StartupProbe hello)
with=$(median_ms java "$agent" -cp $cp io.microagent.bench.StartupProbe hello)
echo "hello-world wall time, median of $runs: without agent ${plain} ms, with agent ${with} ms, added $((with - plain)) ms"
base=$(java -cp $cp io.microagent.bench.StartupProbe heap)
idle=$(java "$agent" -cp $cp io.microagent.bench.StartupProbe heap agent)
b=$(echo "$base" | sed 's/.*heap-used-bytes=\([0-9]*\).*/\1/')
i=$(echo "$idle" | sed 's/.*heap-used-bytes=\([0-9]*\).*/\1/')
echo "heap after full GC: without agent $((b / 1024)) KiB, idle agent $((i / 1024)) KiB, retained by the agent $(((i - b) / 1024)) KiB"
echo "agent running $(echo "$idle" | sed 's/.*ready-after-main-ms=\([0-9]*\).*/\1/') ms after main() started"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$state"
