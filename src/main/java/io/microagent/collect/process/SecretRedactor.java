package io.microagent.collect.process;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the secrets out of a command line before it enters a window: the first group of each pattern is a
 * secret and becomes {@code ***} (fewer stars for a shorter secret, so a line never grows), the rest of the line
 * stays exact. Built in: connection-string keys (IoT Hub, Azure Storage, SQL), values of options and assignments
 * whose name says password, secret, token, API or access key, keystore passwords, the password of
 * {@code user:password@} in URLs and of {@code curl -u}, {@code mysql -pSECRET}, {@code sshpass -p},
 * {@code docker login -p}, and {@code Authorization:}/{@code Bearer} values.
 */
public final class SecretRedactor {
    /** Parts of an option's or variable's name that say its value is a secret. */
    private static final String SECRET_NAME = "[\\w.-]*(?:password|passwd|passphrase|passin|passout|secret|token"
            + "|api[-_]?key|access[-_]?key|storepass|keypass|private[-_]?key|_pwd)[\\w.-]*";
    /** One of these is in every name SECRET_NAME matches: lines without any skip its patterns (most lines). */
    private static final String[] NAME_WORDS = {"pass", "secret", "token", "key", "_pwd"};
    /** A pattern, and words of which one must be in the lowercased line for it to match at all (none: always tried). */
    private record Rule(Pattern pattern, List<String> triggers) {
        static Rule of(String regex, String... triggers) {
            return new Rule(Pattern.compile(regex), List.of(triggers));
        }
    }

    private static final List<Rule> BUILT_IN = List.of(
            Rule.of("(?i)\\b(?:SharedAccessKey|AccountKey|Password)=([^;\\s\"']+)", "sharedaccesskey=", "accountkey=",
                    "password="),
            Rule.of("(?i);\\s*Pwd=([^;\\s\"']+)", "pwd="), // SQL connection strings (PWD= alone is a directory)
            Rule.of("(?i)\\bSharedAccessSignature=(SharedAccessSignature\\s+\\S+|[^;\\s\"']+)", "sharedaccesssignature="),
            Rule.of("(?i)[?&;\\s]sig=([^&;\\s\"']+)", "sig="),
            // keytool's -storepass:file PATH and -storepass:env NAME name where the secret is, not the secret
            Rule.of("(?i)(?:^|\\s)-{0,2}" + SECRET_NAME + "[=:](?!(?:file|env)(?:\\s|$))([^\\s\"']+)", NAME_WORDS),
            Rule.of("(?i)(?:^|\\s)-{1,2}" + SECRET_NAME + "\\s+(?!-)(\\S+)", NAME_WORDS),
            Rule.of("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s/:@]*:([^\\s/@]+)@", "://"),
            Rule.of("(?:^|\\s)(?:-u|--user)\\s+[^\\s:]+:(\\S+)", "-u", "--user"),
            Rule.of("(?:^|\\s|/)(?i:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\\s(?:.*?\\s)??-p(\\S+)", "mysql",
                    "mariadb"),
            Rule.of("(?:^|\\s|/)sshpass\\s(?:.*?\\s)??-p\\s*(\\S+)", "sshpass"),
            Rule.of("(?:^|\\s|/)(?:docker|podman|nerdctl|helm registry)\\s+login\\s(?:.*?\\s)??-p\\s+(\\S+)", "login"),
            Rule.of("(?i)\\bAuthorization:\\s*(?:(?:Bearer|Basic|Token|Digest|SharedAccessSignature)\\s+)?(\\S+)",
                    "authorization:"),
            Rule.of("(?i)\\bBearer\\s+(\\S+)", "bearer"));

    /** Redacts nothing ({@code Process_RedactSecrets=false}). */
    public static final SecretRedactor NONE = new SecretRedactor(List.of(), false);

    private final List<Rule> rules;

    private SecretRedactor(List<Pattern> extra, boolean builtIn) {
        List<Rule> all = new ArrayList<>(builtIn ? BUILT_IN : List.of());
        extra.forEach(p -> all.add(new Rule(p, List.of())));
        this.rules = List.copyOf(all);
    }

    /** The built-in patterns and {@code extra} ones (from {@code Process_RedactPatterns}: group 1 is the secret). */
    public static SecretRedactor withPatterns(List<Pattern> extra) {
        return new SecretRedactor(extra, true);
    }

    public String redact(String commandLine) {
        if (rules.isEmpty() || commandLine.isEmpty()) {
            return commandLine;
        }
        String lower = commandLine.toLowerCase(java.util.Locale.ROOT);
        boolean[] secret = null;
        for (Rule rule : rules) {
            if (!rule.triggers().isEmpty() && rule.triggers().stream().noneMatch(lower::contains)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(commandLine);
            while (m.find()) {
                if (m.groupCount() >= 1 && m.start(1) >= 0 && m.end(1) > m.start(1)) {
                    if (secret == null) {
                        secret = new boolean[commandLine.length()];
                    }
                    for (int i = m.start(1); i < m.end(1); i++) {
                        secret[i] = true;
                    }
                }
            }
        }
        if (secret == null) {
            return commandLine;
        }
        StringBuilder out = new StringBuilder(commandLine.length());
        for (int i = 0; i < commandLine.length();) {
            if (!secret[i]) {
                out.append(commandLine.charAt(i++));
                continue;
            }
            int start = i;
            while (i < commandLine.length() && secret[i]) {
                i++;
            }
            out.append("*".repeat(Math.min(3, i - start)));
        }
        return out.toString();
    }

    /** The execution with its command line redacted. */
    ProcessExecution apply(ProcessExecution e) {
        String redacted = redact(e.commandLine());
        return redacted.equals(e.commandLine()) ? e : new ProcessExecution(e.time(), e.pid(), e.parentPid(), redacted,
                e.executable(), e.uid(), e.userName(), e.type());
    }
}
