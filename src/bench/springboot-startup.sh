#!/usr/bin/env bash
# Start-up of a small Spring Boot application that uses the Azure IoT device SDK (a fat jar, JarLauncher), with and
# without the agent, RUNS alternating runs of each: Spring's own "process running for" at Started (the JVM's start
# to the application context ready), and how long the CommandLineRunner's first DeviceClient construction took (the
# SDK's classes load there, and with the agent its capture is built then). Spring Boot 3.4 and the SDK come from
# Maven Central; the application is written and built here. Needs the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-7}
[ -f target/iot-micro-agent.jar ] || mvn -q -B -DskipTests package
agent_jar=$(pwd)/target/iot-micro-agent.jar
work=$(mktemp -d)
mkdir -p "$work/app/src/main/java/demo"
cat > "$work/app/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent>
  <groupId>demo</groupId><artifactId>sb-device</artifactId><version>1</version>
  <properties><java.version>17</java.version></properties>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter</artifactId></dependency>
    <dependency><groupId>com.microsoft.azure.sdk.iot</groupId><artifactId>iot-device-client</artifactId><version>2.5.0</version></dependency>
  </dependencies>
  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>
POM
cat > "$work/app/src/main/java/demo/App.java" <<'JAVA'
package demo;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class App implements CommandLineRunner {
    public static void main(String[] args) {
        SpringApplication.run(App.class, args);
    }

    @Override
    public void run(String... args) throws Exception {
        long t = System.nanoTime();
        DeviceClient client = new DeviceClient(
                "HostName=127.0.0.1;DeviceId=bench;SharedAccessKey=YmVuY2gta2V5", IotHubClientProtocol.MQTT);
        System.out.println("first DeviceClient constructed in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        client.close();
    }
}
JAVA
(cd "$work/app" && mvn -q -B package -DskipTests)
jar="$work/app/target/sb-device-1.jar"

one() { # prints "STARTED_MS CLIENT_MS"
  local out
  out=$(java "$@" -jar "$jar" 2>&1)
  local started client
  started=$(echo "$out" | sed -n 's/.*process running for \([0-9.]*\)).*/\1/p' | head -1)
  client=$(echo "$out" | sed -n 's/first DeviceClient constructed in \([0-9]*\) ms/\1/p' | head -1)
  echo "$(echo "$started * 1000" | bc | cut -d. -f1) $client"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/without"; : > "$work/with"
java -jar "$jar" >/dev/null 2>&1 || true # the page cache warm for both
for _ in $(seq "$runs"); do
  one >> "$work/without"
  one "-javaagent:$agent_jar=Agent_StateDirectory=$work/state,Output_Stdout=false,Agent_LogLevel=Warning" >> "$work/with"
done
for v in without with; do
  printf '%-8s the agent: started after %s ms (median of %s; %s..%s), first DeviceClient %s ms\n' "$v" \
    "$(cut -d' ' -f1 "$work/$v" | median)" "$runs" "$(cut -d' ' -f1 "$work/$v" | sort -n | head -1)" \
    "$(cut -d' ' -f1 "$work/$v" | sort -n | tail -1)" "$(cut -d' ' -f2 "$work/$v" | median)"
done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); Spring Boot 3.4.1, iot-device-client 2.5.0; $(date -u +%F)"
rm -rf "$work"
