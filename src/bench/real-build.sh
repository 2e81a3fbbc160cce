#!/usr/bin/env bash
# A real build as the process workload, against the kernel's audit log as ground truth: an autoconf-generated
# configure, make -j2 and make check of a small C project this script writes (autoconf, automake and gcc from
# Debian), run as user nobody, once per Process_Mode with the agent attached to an idle JVM. auditd records every
# execve of that user (rule key "rb"); RealBuildReport compares per command line. Prints, per mode: executions the
# kernel audited, the agent's exact, wrong and unread exec counts, missed ones, its forks, and the agent JVM's CPU
# seconds per 1,000 executions: of the first build (the agent just started: JIT compilation included), and of a
# second one after it (warm). Windows close every second, so the first build's events are written before the
# second starts. Needs root and the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
modes=${MODES:-"2 4 3"}
for tool in autoreconf automake gcc make auditd auditctl; do
  command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q autoconf automake gcc make auditd >/dev/null
done
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
work=$(mktemp -d)
chmod 755 "$work"
tck=$(getconf CLK_TCK)
uid=$(id -u nobody)

# The project: 12 sources, a library, a program, 4 tests; configure checks enough headers and functions to run
# gcc a few hundred times.
src="$work/pristine"
mkdir -p "$src"
cat > "$src/configure.ac" <<'AC'
AC_INIT([rb], [1.0])
AM_INIT_AUTOMAKE([foreign subdir-objects])
AC_PROG_CC
AC_PROG_RANLIB
AC_CHECK_HEADERS([stdio.h stdlib.h string.h unistd.h fcntl.h errno.h limits.h stdint.h inttypes.h sys/types.h sys/stat.h sys/time.h time.h signal.h dirent.h pwd.h grp.h netdb.h poll.h])
AC_CHECK_FUNCS([memcpy strdup strndup getline fork execve pipe dup2 poll select gettimeofday clock_gettime nanosleep getpwnam getgrnam mmap munmap realpath])
AC_CHECK_SIZEOF([long])
AC_CHECK_SIZEOF([void *])
AC_CONFIG_HEADERS([config.h])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
{
  echo "noinst_LIBRARIES = librb.a"
  echo -n "librb_a_SOURCES ="; for i in $(seq 1 12); do echo -n " f$i.c"; done; echo
  echo "bin_PROGRAMS = rb"
  echo "rb_SOURCES = main.c"
  echo "rb_LDADD = librb.a"
  echo "check_PROGRAMS = t1 t2 t3 t4"
  for t in 1 2 3 4; do echo "t${t}_SOURCES = t$t.c"; echo "t${t}_LDADD = librb.a"; done
  echo "TESTS = t1 t2 t3 t4"
} > "$src/Makefile.am"
for i in $(seq 1 12); do printf '#include "config.h"\nint f%d(int x) { return x * %d + 1; }\n' $i $i > "$src/f$i.c"; done
printf '#include <stdio.h>\nint f1(int);\nint main(void) { printf("%%d\\n", f1(2)); return 0; }\n' > "$src/main.c"
for t in 1 2 3 4; do printf 'int f%d(int);\nint main(void) { return f%d(0) == 1 ? 0 : 1; }\n' $t $t > "$src/t$t.c"; done
(cd "$src" && autoreconf -i >/dev/null 2>&1)

build() { # DIR USER: a fresh copy built by USER
  cp -a "$src" "$1"
  chown -R "$2" "$1"
  setpriv --reuid="$(id -u "$2")" --regid="$(id -g "$2")" --clear-groups env HOME="$1" sh -c \
    "cd '$1' && ./configure -q >/dev/null && make -s -j2 >/dev/null 2>&1 && make -s check >/dev/null 2>&1"
}

# auditd writes the ground truth; restored at the end.
log="$work/audit.log"
started_auditd=false
if ! pgrep -x auditd >/dev/null; then
  auditd -n >/dev/null 2>&1 & # in the foreground of this script; writes /var/log/audit/audit.log
  started_auditd=true
  until auditctl -s | grep -q "pid [1-9]"; do sleep 0.1; done
fi
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for mode in $modes; do
  out="$work/agent-$mode.jsonl"
  java "-javaagent:target/iot-micro-agent.jar=Process_Mode=$mode,Process_PollingInterval=100ms,Process_CacheSize=100000,CollectorsCore_PriorityIntervals=1s,1s,1s,Process_MessageFrequency=High,Output_File=$out,Agent_StateDirectory=$work/state-$mode,Agent_LogLevel=Warning" \
    -cp target/test-classes io.microagent.bench.StartupProbe idle > "$work/app-$mode.txt" &
  pid=$!
  until grep -q ready "$work/app-$mode.txt" 2>/dev/null; do sleep 0.1; done
  : > /var/log/audit/audit.log
  auditctl -a always,exit -F arch=b64 -S execve -F uid=$uid -k rb >/dev/null
  t0=$(cpu_ticks $pid); s0=$(date +%s.%N)
  build "$work/build-$mode" nobody
  s1=$(date +%s.%N)
  sleep 3 # the agent takes what the build queued and writes its windows
  t1=$(cpu_ticks $pid)
  auditctl -d always,exit -F arch=b64 -S execve -F uid=$uid -k rb >/dev/null
  cp /var/log/audit/audit.log "$log"
  cp "$out" "$out.first"
  build "$work/again-$mode" daemon # warm: CPU only
  sleep 3
  t2=$(cpu_ticks $pid)
  kill -TERM $pid; wait $pid || true
  counts=$(java -cp "$cp" io.microagent.bench.RealBuildReport "$out.first" "$log" "$uid" rb)
  audited=$(echo "$counts" | sed 's/.*audited=\([0-9]*\).*/\1/')
  printf '%-22s %s cpu_s_per_1000_first=%.3f cpu_s_per_1000_warm=%.3f build_s=%s\n' "agent Process_Mode=$mode" \
    "$counts" "$(echo "($t1 - $t0) / $tck / $audited * 1000" | bc -l)" \
    "$(echo "($t2 - $t1) / $tck / $audited * 1000" | bc -l)" "$(echo "$s1 - $s0" | bc -l | cut -c1-5)"
done
if $started_auditd; then
  auditctl -D >/dev/null; kill "$(pgrep -x auditd)" 2>/dev/null || true
fi
echo "machine: $(nproc) cores, kernel $(uname -r), $(java -version 2>&1 | head -1), gcc $(gcc -dumpversion), autoconf $(autoconf --version | head -1 | awk '{print $NF}'); $(date -u +%F)"
rm -rf "$work"
