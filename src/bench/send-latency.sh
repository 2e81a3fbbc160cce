#!/usr/bin/env bash
# The application's own send latency (p50, p99) without and with the agent attached. The agent runs with short
# windows (1 s) and Netlink process capture, so it sends through the same connection during the measurement.
# Uses the local hub on 127.0.0.1:8883 (must be free). Needs the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${N:-2000}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:$(cat target/bench-classpath.txt)"
state=$(mktemp -d)
for round in 1 2; do
  echo "without agent: $(java -cp "$cp" io.microagent.bench.SendLatency "$n" 2>/dev/null | grep sends=)"
  echo "with agent:    $(java "-javaagent:target/iot-micro-agent.jar=CollectorsCore_PriorityIntervals=1s,1s,1s,Process_MessageFrequency=High,Agent_StateDirectory=$state,Agent_LogLevel=Warning" \
    -cp "$cp" io.microagent.bench.SendLatency "$n" 2>/dev/null | grep sends=)"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$state"
