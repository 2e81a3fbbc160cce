#!/usr/bin/env bash
# JMH: nanoseconds and bytes that redaction adds to each execution's command line (with and without secrets).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
  RedactionBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s "$@" | tee target/bench-redaction.txt
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
