#!/usr/bin/env bash
# The main job: builds the agent and runs the sample device application (a DeviceClient sending telemetry) with
# the agent attached, against a local stand-in for IoT Hub started inside the sample (MQTT with TLS on
# 127.0.0.1:8883). It prints what the hub receives: the device's telemetry and the agent's security messages.
# Windows are shortened (10 s, 10 s, 30 s instead of 30, 120 and 1440 minutes) so security messages appear
# within a minute. Stops by itself after $1 seconds (default 60); a second argument --json prints each security
# message's raw JSON instead of the summary and the line per payload. Lines are cut to the terminal's width. With
# IOTHUB_DEVICE_CONNECTION_STRING set it talks to that hub instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
state="${TMPDIR:-/tmp}/iot-micro-agent-sample-state"
if [ -z "${COLUMNS:-}" ] && [ -t 1 ]; then COLUMNS=$(tput cols 2>/dev/null || echo 120); fi
export COLUMNS
exec java \
  "-javaagent:target/iot-micro-agent.jar=CollectorsCore_PriorityIntervals=10s,10s,30s,Process_MessageFrequency=High,NetworkActivity_MessageFrequency=High,NetworkActivity_Devices=lo,Agent_StateDirectory=$state" \
  -cp "target/test-classes:$(cat target/test-classpath.txt)" io.microagent.sample.SampleDevice --seconds "${1:-60}" ${2:+"$2"}
