package io.microagent.collect.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
    final SecretRedactor redactor = SecretRedactor.withPatterns(List.of());

    /** A real command line, what must come out, and the secrets it held. */
    record Line(String in, String out, List<String> secrets) {
    }

    static final List<Line> LINES = List.of(
            new Line("java -jar send-event.jar HostName=hub.azure-devices.net;DeviceId=gw-7;SharedAccessKey=a2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2U=",
                    "java -jar send-event.jar HostName=hub.azure-devices.net;DeviceId=gw-7;SharedAccessKey=***",
                    List.of("a2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2U=")),
            new Line("java -cp app.jar samples.SendReceiveModuleSample HostName=h.azure-devices.net;DeviceId=d;ModuleId=m;SharedAccessKey=c2VjcmV0c2VjcmV0== mqtt",
                    "java -cp app.jar samples.SendReceiveModuleSample HostName=h.azure-devices.net;DeviceId=d;ModuleId=m;SharedAccessKey=*** mqtt",
                    List.of("c2VjcmV0c2VjcmV0==")),
            new Line("az storage blob upload --connection-string DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=QWNjb3VudEtleQ==;EndpointSuffix=core.windows.net",
                    "az storage blob upload --connection-string DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net",
                    List.of("QWNjb3VudEtleQ==")),
            new Line("curl -s https://acct.blob.core.windows.net/c/f?sv=2022-11-02&se=2026-12-01&sig=U2lnU2lnU2ln%3D",
                    "curl -s https://acct.blob.core.windows.net/c/f?sv=2022-11-02&se=2026-12-01&sig=***", List.of("U2lnU2lnU2ln%3D")),
            new Line("keytool -importcert -alias hub -keystore /opt/app/ks.p12 -storepass changeit -noprompt",
                    "keytool -importcert -alias hub -keystore /opt/app/ks.p12 -storepass *** -noprompt", List.of("changeit")),
            new Line("keytool -genkeypair -keypass s3cr3t -storepass:file /run/pw",
                    "keytool -genkeypair -keypass *** -storepass:file /run/pw", List.of("s3cr3t")),
            new Line("mysql -u root -pTopSecret1 -h 127.0.0.1 -P 3306 iot", "mysql -u root -p*** -h 127.0.0.1 -P 3306 iot",
                    List.of("TopSecret1")),
            new Line("/usr/bin/mysqldump --user=backup --password=Hunter22 iot", "/usr/bin/mysqldump --user=backup --password=*** iot",
                    List.of("Hunter22")),
            new Line("psql postgresql://app:pg-pass-42@db.local:5432/iot -c select 1",
                    "psql postgresql://app:***@db.local:5432/iot -c select 1", List.of("pg-pass-42")),
            new Line("env PGPASSWORD=pgsecret psql -h db -U app", "env PGPASSWORD=*** psql -h db -U app", List.of("pgsecret")),
            new Line("curl -u admin:Xq9-pass https://192.0.2.10/api", "curl -u admin:*** https://192.0.2.10/api",
                    List.of("Xq9-pass")),
            new Line("curl -H Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig https://api.example.org",
                    "curl -H Authorization: Bearer *** https://api.example.org", List.of("eyJhbGciOiJIUzI1NiJ9.e30.sig")),
            new Line("curl -H Authorization: SharedAccessSignature sr=hub%2Fdevices%2Fd&sig=abcDEF123&se=1764266645 https://hub/x",
                    "curl -H Authorization: SharedAccessSignature *** https://hub/x", List.of("abcDEF123")),
            new Line("docker login -u ci -p dckr_pat_0123456789 registry.example.org",
                    "docker login -u ci -p *** registry.example.org", List.of("dckr_pat_0123456789")),
            new Line("docker login --username ci --password dckr_pat_abc registry", "docker login --username ci --password *** registry",
                    List.of("dckr_pat_abc")),
            new Line("sshpass -p wrong-Passw0rd ssh -p 22 pi@192.0.2.5", "sshpass -p *** ssh -p 22 pi@192.0.2.5",
                    List.of("wrong-Passw0rd")),
            new Line("python3 agent.py --api-key=AKIAABCDEFGH --region eu", "python3 agent.py --api-key=*** --region eu",
                    List.of("AKIAABCDEFGH")),
            new Line("node server.js --access-token ghp_abcdefgh --port 8080", "node server.js --access-token *** --port 8080",
                    List.of("ghp_abcdefgh")),
            new Line("openssl pkcs12 -export -passout pass:Zk7outpw -in c.pem", "openssl pkcs12 -export -passout *** -in c.pem",
                    List.of("Zk7outpw")),
            new Line("MYSQL_PWD=xyz mysql", "MYSQL_PWD=*** mysql", List.of("xyz")),
            new Line("app --password=ab", "app --password=**", List.of()));

    static final List<String> UNTOUCHED = List.of("ls -la /etc/passwd", "passwd root", "grep -r token src/",
            "git commit -m rotate the api key", "ssh-keygen -t ed25519 -f /etc/ssh/ssh_host_ed25519_key -N",
            "kubectl get secrets -n iot", "mkdir -p /var/lib/app", "java -jar app.jar --port 8883",
            "/bin/sh -c echo dumpdef | /usr/bin/m4", "curl -s https://example.org/index.html",
            "mysql -u root -p iot", "env PWD=/home/pi HOME=/home/pi bash", "sshpass", "");

    @Test
    void secretsInRealCommandLinesBecomeStarsAndTheRestStaysExact() {
        for (Line l : LINES) {
            String out = redactor.redact(l.in());
            assertEquals(l.out(), out, l.in());
            assertTrue(out.length() <= l.in().length(), "never longer: " + l.in());
            for (String secret : l.secrets()) {
                assertFalse(out.contains(secret.substring(0, 3)), "a prefix of " + secret + " leaked: " + out);
            }
        }
    }

    @Test
    void linesWithoutSecretsAreUntouched() {
        for (String line : UNTOUCHED) {
            assertEquals(line, redactor.redact(line));
        }
    }

    @Test
    void extraPatternsFromConfigurationAndTurningItOff() {
        Configuration config = Configuration.load("Process_RedactPatterns=--pin\\s+(\\d+),Process_RedactSecrets=true",
                Map.of(), Map.of());
        List<Pattern> extra = config.get(Settings.PROCESS_REDACT_PATTERNS);
        assertEquals("modem-cli --pin *** --apn iot", SecretRedactor.withPatterns(extra).redact("modem-cli --pin 1234 --apn iot"));
        assertEquals("keytool -storepass changeit", SecretRedactor.NONE.redact("keytool -storepass changeit"));
        Configuration bad = Configuration.load("Process_RedactPatterns=no-group-here", Map.of(), Map.of());
        assertEquals(null, bad.get(Settings.PROCESS_REDACT_PATTERNS));
        assertTrue(bad.problems().get(0).line().contains("Process_RedactPatterns=no-group-here"),
                bad.problems().get(0).line());
        assertTrue(bad.problems().get(0).line().contains("capturing group"), bad.problems().get(0).line());
    }
}
