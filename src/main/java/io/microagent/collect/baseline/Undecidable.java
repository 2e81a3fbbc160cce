package io.microagent.collect.baseline;

/** A fact a check needs could not be read: the check is an {@code Error} with this reason. */
final class Undecidable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Undecidable(String reason) {
        super(reason, null, false, false);
    }
}
