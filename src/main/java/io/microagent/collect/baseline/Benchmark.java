package io.microagent.collect.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import io.microagent.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's checks, read from its resource file ({@code baseline/cis-debian-12.json}). A rule is an object
 * with one key: {@code all}, {@code any}, {@code not}, or a predicate ({@code module_disabled},
 * {@code package_installed}, {@code package_absent}, {@code sysctl}, {@code mounted}, {@code mount_option},
 * {@code file_exists}, {@code file_mode}, {@code file_matches}, {@code file_lacks}, {@code sshd}, {@code login_defs},
 * {@code accounts}); see README.
 */
public record Benchmark(String name, String os, String version, List<Check> checks) {
    static final Set<String> SEVERITIES = Set.of("Critical", "Important", "Warning", "Informational");

    public static Benchmark load(String resource) throws IOException {
        try (InputStream in = Benchmark.class.getResourceAsStream("/baseline/" + resource)) {
            if (in == null) {
                throw new IOException("no baseline content " + resource);
            }
            return parse(Json.read(in.readAllBytes()));
        }
    }

    static Benchmark parse(JsonNode root) {
        String os = root.path("os").asText();
        String version = root.path("version").asText();
        List<Check> checks = new ArrayList<>();
        for (JsonNode c : root.path("checks")) {
            String section = c.path("section").asText();
            String group = c.path("group").asText();
            String severity = c.path("severity").asText();
            if (!group.matches("[A-Za-z]+") || !section.matches("\\d+(\\.\\d+)*") || !SEVERITIES.contains(severity)) {
                throw new IllegalArgumentException("check " + section + ": group, section or severity malformed");
            }
            checks.add(new Check("CIS-" + os + "-" + version + "-" + group + "-" + section, section, group,
                    c.path("description").asText(), c.path("remediation").asText(), severity, rule(c.path("rule"))));
        }
        return new Benchmark(root.path("name").asText(), os, version, List.copyOf(checks));
    }

    static Rule rule(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("a rule is an object with one key: " + node);
        }
        String kind = node.fieldNames().next();
        JsonNode v = node.get(kind);
        return switch (kind) {
            case "all" -> new Rule.All(rules(v));
            case "any" -> new Rule.Any(rules(v));
            case "not" -> new Rule.Not(rule(v));
            case "module_disabled" -> new Predicate.ModuleDisabled(v.asText());
            case "package_installed" -> new Predicate.PackageInstalled(v.asText(), true);
            case "package_absent" -> new Predicate.PackageInstalled(v.asText(), false);
            case "sysctl" -> new Predicate.Sysctl(v.path("key").asText(), v.path("value").asText());
            case "mounted" -> new Predicate.Mounted(v.asText());
            case "file_exists" -> new Predicate.FileMode(v.asText(), 07777, null, null, false);
            case "mount_option" -> new Predicate.MountOption(v.path("path").asText(), v.path("option").asText());
            case "file_mode" -> new Predicate.FileMode(v.path("path").asText(),
                    Integer.parseInt(v.path("max").asText(), 8), text(v, "owner"), text(v, "group"),
                    v.path("if_exists").asBoolean(false));
            case "file_matches", "file_lacks" -> new Predicate.FileContent(strings(v.path("paths")),
                    v.path("pattern").asText(), kind.equals("file_matches"), v.path("sample").asText());
            case "sshd" -> {
                Map.Entry<String, Predicate.Op> op = op(v);
                yield new Predicate.Sshd(v.path("key").asText(), op.getValue(), strings(v.path(op.getKey())),
                        text(v, "default"));
            }
            case "login_defs" -> {
                Map.Entry<String, Predicate.Op> op = op(v);
                yield new Predicate.LoginDefs(v.path("key").asText(), op.getValue(), strings(v.path(op.getKey())));
            }
            case "accounts" -> {
                if (!AccountChecks.PROPERTIES.contains(v.asText())) {
                    throw new IllegalArgumentException("unknown account check " + v.asText());
                }
                yield new Predicate.Accounts(v.asText());
            }
            default -> throw new IllegalArgumentException("unknown rule " + kind);
        };
    }

    private static Map.Entry<String, Predicate.Op> op(JsonNode v) {
        for (Map.Entry<String, Predicate.Op> e : Predicate.ops().entrySet()) {
            if (v.has(e.getKey())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no comparison in " + v);
    }

    private static List<Rule> rules(JsonNode array) {
        List<Rule> rules = new ArrayList<>();
        array.forEach(n -> rules.add(rule(n)));
        return rules;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }

    private static String text(JsonNode v, String field) {
        return v.has(field) ? v.get(field).asText() : null;
    }
}
