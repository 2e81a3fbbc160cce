#!/usr/bin/env bash
# Connection storm: N loopback TCP connections (100 bytes up, 1,000 down) made one after another as fast as one
# JVM makes them, captured by the agent (ConnectionCreate, destroy broadcasts) and by `ss -E -i` (iproute2: the
# same kernel broadcasts) on the same storm. Prints socket ends made (2 per connection), counted, counted with
# exact byte counts, and CPU seconds per 1,000 connections in steady state (a warm-up storm runs first).
# One window holds the whole storm (its 2N entries are written at exit, after the measurement), so N stays
# below what the 4 MiB outbox holds (about 7,000). Needs root (the broadcasts need CAP_NET_ADMIN) and the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${N:-6000}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
work=$(mktemp -d)
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # 0: it exited (ss -E quits on a buffer overrun)
# A free port below the ephemeral range, where servers listen.
free_port() { python3 -c 'import socket,random
for p in random.sample(range(20000, 32000), 200):
    try:
        s=socket.socket(); s.bind(("127.0.0.1",p)); print(p); break
    except OSError: pass'; }
storm() { java -cp "$cp" io.microagent.bench.ConnectionStorm storm "$1" "$2" > /dev/null; }

out="$work/agent.jsonl"
java "-javaagent:target/iot-micro-agent.jar=NetworkActivity_Devices=lo,NetworkActivity_CacheSize=$((2 * n + 2000)),Process_Disabled=true,CollectorsCore_PriorityIntervals=1d,1d,1d,Output_File=$out,Agent_StateDirectory=$work/state,Agent_LogLevel=Warning,Output_IotHub=Off" \
  -cp target/test-classes io.microagent.bench.StartupProbe idle > "$work/app.txt" &
pid=$!
until grep -q ready "$work/app.txt" 2>/dev/null; do sleep 0.1; done
stdbuf -oL ss -E -i -t -n > "$work/ss-warmup.txt" 2>&1 &
sspid=$!
storm 30000 "$(free_port)"; sleep 2 # warm-up (the JIT compiles the hot path): its entries are the oldest, evicted by the storm's
kill -TERM $sspid 2>/dev/null || true; wait $sspid || true
# Three storms in a row; the last one is the steady-state figure, and the only one whose entries the window keeps.
for round in 1 2 3; do
  port=$(free_port)
  stdbuf -oL ss -E -i -t -n > "$work/ss.txt" 2>&1 &
  sspid=$!
  sleep 0.5
  a0=$(cpu_ticks $pid); s0=$(cpu_ticks $sspid); w0=$(date +%s.%N)
  storm "$n" "$port"
  w1=$(date +%s.%N)
  sleep 2 # let both finish reading what the storm queued
  a1=$(cpu_ticks $pid); s1=$(cpu_ticks $sspid)
  kill -TERM $sspid 2>/dev/null || true; wait $sspid || true
  printf 'storm %d: agent cpu_s_per_1000=%.4f, ss -E -i cpu_s_per_1000=%.4f\n' "$round" \
    "$(echo "($a1 - $a0) / $tck / $n * 1000" | bc -l)" "$(echo "($s1 - $s0) / $tck / $n * 1000" | bc -l)"
done
kill -TERM $pid; wait $pid || true
rate=$(echo "$n / ($w1 - $w0)" | bc -l | cut -d. -f1)
echo "last storm, agent (Broadcasts): $(java -cp "$cp" io.microagent.bench.ConnectionStorm agent "$out" "$port" "$n")"
echo "last storm, ss -E -i:           $(java -cp "$cp" io.microagent.bench.ConnectionStorm ss "$work/ss.txt" "$port" "$n")"
echo "connections=$n at $rate per second; machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$work"
