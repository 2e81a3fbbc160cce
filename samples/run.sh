#!/usr/bin/env bash
# Builds the agent and runs the sample device application with it attached. Windows are shortened (10 s, 20 s,
# 40 s instead of 30, 120 and 1440 minutes) so security messages appear within a minute, printed as JSON lines.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
state="${TMPDIR:-/tmp}/iot-micro-agent-sample-state"
exec java \
  "-javaagent:target/iot-micro-agent.jar=CollectorsCore_PriorityIntervals=10s,20s,40s,Output_Stdout=true,Agent_StateDirectory=$state" \
  samples/SampleDevice.java "${1:-45}"
