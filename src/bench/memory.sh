#!/usr/bin/env bash
# Resident memory the agent adds on a device-sized JVM (-Xms16m -Xmx256m -XX:+UseSerialGC), an application that only
# idles, SETTLE (25) seconds after start, beside the same JVM without the agent, in one run. Every variant runs side
# by side (started a second apart): the bare JVM and the agent with its defaults ROUNDS (5) times each, a -javaagent
# that does nothing (what any Java agent costs), then the agent without the IoT Hub client capture
# (Output_IotHub=Off), with every collector off, and with one collector on at a time. RSS and anonymous memory come from /proc/PID/status of JVMs without native memory tracking (its own
# bookkeeping would count); a second batch, with tracking, gives the JVM's own accounting (committed KiB per
# category). Needs the packaged jar; root for the kernel collectors. A quiet machine: the collectors allocate for what
# the host does.
set -euo pipefail
cd "$(dirname "$0")/../.."
settle=${SETTLE:-25}
rounds=${ROUNDS:-5}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile
work=$(mktemp -d)
all_off="Process_Disabled=true,NetworkActivity_Disabled=true,Login_Disabled=true,SystemInformation_Disabled=true,Baseline_Disabled=true,SBoM_Disabled=true,Heartbeat_Disabled=true"
# The floor: a -javaagent whose premain returns at once.
mkdir -p "$work/nop"
printf 'public class NopAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) { } }\n' \
  > "$work/nop/NopAgent.java"
javac -d "$work/nop" "$work/nop/NopAgent.java"
printf 'Premain-Class: NopAgent\n' > "$work/nop/manifest.txt"
jar cfm "$work/nop.jar" "$work/nop/manifest.txt" -C "$work/nop" NopAgent.class
labels=(); args=()
for r in $(seq "$rounds"); do
  labels+=("without the agent" "agent, defaults"); args+=(none "")
done
labels+=("a -javaagent doing nothing" "agent, Output_IotHub=Off" "agent, every collector off")
args+=(nop "Output_IotHub=Off" "$all_off")
for c in Process NetworkActivity Login SystemInformation Baseline SBoM; do
  labels+=("agent, only $c")
  args+=("$(echo "$all_off" | sed "s/${c}_Disabled=true/${c}_Disabled=false/")")
done

batch() { # NMT(yes|no): starts every variant, waits, prints one line each
  local nmt=$1 pids=() i
  for i in "${!labels[@]}"; do
    local jvm=(-Xms16m -Xmx256m -XX:+UseSerialGC)
    [ "$nmt" = yes ] && jvm+=(-XX:NativeMemoryTracking=summary)
    local agent="target/iot-micro-agent.jar=Agent_StateDirectory=$work/state-$nmt-$i,Agent_LogLevel=Warning"
    case "${args[$i]}" in
      none) ;;
      nop) jvm+=("-javaagent:$work/nop.jar") ;;
      *) jvm+=("-javaagent:$agent${args[$i]:+,${args[$i]}}") ;;
    esac
    java "${jvm[@]}" -cp target/test-classes io.microagent.bench.StartupProbe idle > "$work/out-$nmt-$i.txt" 2>&1 &
    pids+=($!)
    sleep 1
  done
  sleep "$settle"
  for i in "${!labels[@]}"; do
    local pid=${pids[$i]}
    if [ "$nmt" = no ]; then
      printf '%-30s rss_kib=%d anon_kib=%d\n' "${labels[$i]}" "$(awk '/^VmRSS/{print $2}' /proc/$pid/status)" \
        "$(awk '/^RssAnon/{print $2}' /proc/$pid/status)"
    else
      printf '%-30s nmt_committed_kib: %s\n' "${labels[$i]}" "$(jcmd $pid VM.native_memory summary 2>/dev/null | awk '
        /^-? *[A-Z][A-Za-z ]+ \(reserved=/ {
          name=$0; sub(/^-? */, "", name); sub(/ \(.*/, "", name); gsub(/ /, "_", name)
          if (match($0, /committed=[0-9]+KB/)) { v=substr($0, RSTART+10, RLENGTH-12); if (v + 0 >= 64) printf "%s=%d ", name, v }
        }')"
    fi
  done
  kill "${pids[@]}"; wait 2>/dev/null || true
}

batch no | tee "$work/rss.txt"
mean() { grep "$1" "$work/rss.txt" | grep -o 'rss_kib=[0-9]*' | cut -d= -f2 | awk '{s+=$1; n++} END {print s/n}'; }
awk -v b="$(mean 'without the agent')" -v a="$(mean 'agent, defaults')" \
  'BEGIN { printf "mean RSS: without the agent %.1f MiB, with its defaults %.1f MiB: %.1f MiB added\n", b/1024, a/1024, (a-b)/1024 }'
batch yes
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
rm -rf "$work"
