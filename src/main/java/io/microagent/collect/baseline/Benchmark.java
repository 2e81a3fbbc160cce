package io.microagent.collect.baseline;

import io.microagent.json.Json;
import io.microagent.json.Tree;
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

    static Benchmark parse(Object root) {
        String os = text(root, "os");
        String version = text(root, "version");
        List<Check> checks = new ArrayList<>();
        for (Object c : Tree.array(Tree.get(root, "checks"))) {
            String section = text(c, "section");
            String group = text(c, "group");
            String severity = text(c, "severity");
            if (!group.matches("[A-Za-z]+") || !section.matches("\\d+(\\.\\d+)*") || !SEVERITIES.contains(severity)) {
                throw new IllegalArgumentException("check " + section + ": group, section or severity malformed");
            }
            checks.add(new Check("CIS-" + os + "-" + version + "-" + group + "-" + section, section, group,
                    text(c, "description"), text(c, "remediation"), severity, rule(Tree.get(c, "rule"))));
        }
        return new Benchmark(text(root, "name"), os, version, List.copyOf(checks));
    }

    static Rule rule(Object node) {
        Map<String, Object> members = Tree.object(node);
        if (!Tree.isObject(node) || members.size() != 1) {
            throw new IllegalArgumentException("a rule is an object with one key: " + Json.text(node));
        }
        String kind = members.keySet().iterator().next();
        Object v = members.get(kind);
        return switch (kind) {
            case "all" -> new Rule.All(rules(v));
            case "any" -> new Rule.Any(rules(v));
            case "not" -> new Rule.Not(rule(v));
            case "module_disabled" -> new Predicate.ModuleDisabled(text(v));
            case "package_installed" -> new Predicate.PackageInstalled(text(v), true);
            case "package_absent" -> new Predicate.PackageInstalled(text(v), false);
            case "sysctl" -> new Predicate.Sysctl(text(v, "key"), text(v, "value"));
            case "mounted" -> new Predicate.Mounted(text(v));
            case "file_exists" -> new Predicate.FileMode(text(v), 07777, null, null, false);
            case "mount_option" -> new Predicate.MountOption(text(v, "path"), text(v, "option"));
            case "file_mode" -> new Predicate.FileMode(text(v, "path"),
                    Integer.parseInt(text(v, "max"), 8), optional(v, "owner"), optional(v, "group"),
                    Boolean.TRUE.equals(Tree.get(v, "if_exists")));
            case "file_matches", "file_lacks" -> new Predicate.FileContent(strings(Tree.get(v, "paths")),
                    text(v, "pattern"), kind.equals("file_matches"), text(v, "sample"));
            case "sshd" -> {
                Map.Entry<String, Predicate.Op> op = op(v);
                yield new Predicate.Sshd(text(v, "key"), op.getValue(), strings(Tree.get(v, op.getKey())),
                        optional(v, "default"));
            }
            case "login_defs" -> {
                Map.Entry<String, Predicate.Op> op = op(v);
                yield new Predicate.LoginDefs(text(v, "key"), op.getValue(), strings(Tree.get(v, op.getKey())));
            }
            case "accounts" -> {
                if (!AccountChecks.PROPERTIES.contains(text(v))) {
                    throw new IllegalArgumentException("unknown account check " + text(v));
                }
                yield new Predicate.Accounts(text(v));
            }
            default -> throw new IllegalArgumentException("unknown rule " + kind);
        };
    }

    private static Map.Entry<String, Predicate.Op> op(Object v) {
        for (Map.Entry<String, Predicate.Op> e : Predicate.ops().entrySet()) {
            if (Tree.object(v).containsKey(e.getKey())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no comparison in " + Json.text(v));
    }

    private static List<Rule> rules(Object array) {
        List<Rule> rules = new ArrayList<>();
        Tree.array(array).forEach(n -> rules.add(rule(n)));
        return rules;
    }

    private static List<String> strings(Object node) {
        List<String> values = new ArrayList<>();
        if (node instanceof List<?> list) {
            list.forEach(n -> values.add(text(n)));
        } else if (node != null) {
            values.add(text(node));
        }
        return values;
    }

    private static String text(Object v) {
        return Tree.asText(v);
    }

    private static String text(Object v, String field) {
        return Tree.memberText(v, field);
    }

    /** A member's text, or null when the member is absent. */
    private static String optional(Object v, String field) {
        return Tree.object(v).containsKey(field) ? Tree.asText(Tree.get(v, field)) : null;
    }
}
