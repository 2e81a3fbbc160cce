#!/usr/bin/env bash
# Resident memory the agent adds on a device-sized JVM (-Xms16m -Xmx256m -XX:+UseSerialGC), an application that only
# idles, 25 s after start, beside the same JVM without the agent, in one run: RSS and anonymous memory from
# /proc/PID/status, and the JVM's own accounting (native memory tracking, committed KiB per category). The agent with
# its defaults, without the IoT Hub client capture (Output_IotHub=Off), with every collector off, and with one
# collector on at a time. Needs the packaged jar; root for the kernel collectors.
set -euo pipefail
cd "$(dirname "$0")/../.."
settle=${SETTLE:-25}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile
work=$(mktemp -d)
device="-Xms16m -Xmx256m -XX:+UseSerialGC -XX:NativeMemoryTracking=summary"
all_off="Process_Disabled=true,NetworkActivity_Disabled=true,Login_Disabled=true,SystemInformation_Disabled=true,Baseline_Disabled=true,SBoM_Disabled=true,Heartbeat_Disabled=true"

measure() { # LABEL [AGENT_ARGS]: prints one line
  local label=$1 args=${2-none}
  local agent=()
  [ "$args" = none ] || agent=("-javaagent:target/iot-micro-agent.jar=Agent_StateDirectory=$work/state-$RANDOM,Agent_LogLevel=Warning${args:+,$args}")
  java $device "${agent[@]}" -cp target/test-classes io.microagent.bench.StartupProbe idle > "$work/out.txt" 2>&1 &
  local pid=$!
  sleep "$settle"
  local rss anon
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)
  anon=$(awk '/^RssAnon/{print $2}' /proc/$pid/status)
  local nmt
  nmt=$(jcmd $pid VM.native_memory summary 2>/dev/null | awk '
    /^-? *(Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Shared class space|Arena Chunk|Module|Metaspace|Synchronizer|Serviceability|Safepoint|Logging|Arguments|Object Monitors|String Deduplication|Tracing|Unknown) \(/ {
      name=$0; sub(/^-? */, "", name); sub(/ \(.*/, "", name); gsub(/ /, "_", name)
      if (match($0, /committed=[0-9]+KB/)) { v=substr($0, RSTART+10, RLENGTH-12); printf "%s=%d ", name, v }
    }')
  kill -TERM $pid; wait $pid 2>/dev/null || true
  printf '%-34s rss_kib=%d anon_kib=%d %s\n' "$label" "$rss" "$anon" "$nmt"
}

measure "without the agent"
measure "agent, defaults" ""
measure "agent, Output_IotHub=Off" "Output_IotHub=Off"
measure "agent, every collector off" "$all_off"
for c in Process NetworkActivity Login SystemInformation Baseline SBoM; do
  measure "agent, only $c" "$(echo "$all_off" | sed "s/${c}_Disabled=true/${c}_Disabled=false/")"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$work"
