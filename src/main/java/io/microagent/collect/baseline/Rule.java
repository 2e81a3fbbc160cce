package io.microagent.collect.baseline;

import java.util.List;

/** What a check verifies: a predicate over the host's files, or a combination of them. */
public sealed interface Rule permits Rule.All, Rule.Any, Rule.Not, Predicate {
    Verdict evaluate(HostFacts host);

    /** Every rule passes; the first failure or error decides otherwise. */
    record All(List<Rule> rules) implements Rule {
        @Override
        public Verdict evaluate(HostFacts host) {
            for (Rule r : rules) {
                Verdict v = r.evaluate(host);
                if (v.result() != Verdict.Result.PASS) {
                    return v;
                }
            }
            return Verdict.PASS;
        }
    }

    /** One rule passes; an error is reported only when none passed. */
    record Any(List<Rule> rules) implements Rule {
        @Override
        public Verdict evaluate(HostFacts host) {
            Verdict last = Verdict.fail("no alternative holds");
            Verdict error = null;
            for (Rule r : rules) {
                Verdict v = r.evaluate(host);
                if (v.result() == Verdict.Result.PASS) {
                    return v;
                }
                if (v.result() == Verdict.Result.ERROR) {
                    error = v;
                }
                last = v;
            }
            return error != null ? error : last;
        }
    }

    record Not(Rule rule) implements Rule {
        @Override
        public Verdict evaluate(HostFacts host) {
            Verdict v = rule.evaluate(host);
            return switch (v.result()) {
                case PASS -> Verdict.fail("the opposite of what is required holds");
                case FAIL -> Verdict.PASS;
                case ERROR -> v;
            };
        }
    }
}
