package io.microagent.collect.baseline;

/** A check's outcome: passed, failed (with what was found), or undecidable (with the reason): never a silent pass. */
public record Verdict(Result result, String detail) {
    public enum Result { PASS, FAIL, ERROR }

    public static final Verdict PASS = new Verdict(Result.PASS, "");

    public static Verdict fail(String found) {
        return new Verdict(Result.FAIL, found);
    }

    public static Verdict error(String reason) {
        return new Verdict(Result.ERROR, reason);
    }

    static Verdict of(boolean passed, String found) {
        return passed ? PASS : fail(found);
    }
}
