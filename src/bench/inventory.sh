#!/usr/bin/env bash
# JMH: one full SBoM scan of this machine's package database, one SystemInformation snapshot and one Baseline scan (ms per scan,
# bytes allocated per scan), beside the package count and dpkg-query's own time for the same listing.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
  InventoryBenchmark -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s "$@" | tee target/bench-inventory.txt
# The first scan in a fresh JVM (what a device pays once a day at most): single shot, five JVMs.
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
  InventoryBenchmark -bm ss -tu ms -wi 0 -i 1 -f 5 | tee -a target/bench-inventory.txt | grep -E '^(Benchmark|Inventory)'
echo "packages installed: $(dpkg-query -W -f '${db:Status-Status}\n' | grep -c '^installed$')"
/usr/bin/time -f "dpkg-query -W: %U s user + %S s system, %M KB max RSS" dpkg-query -W -f '${Package}\t${Version}\t${Maintainer}\n' >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%F)"
