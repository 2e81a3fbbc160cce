package io.microagent.aggregate;

import java.util.List;

/**
 * A window's result: the entries in the order their identities were first seen, how many events were
 * offered, and how many of them were dropped because the table was full.
 */
public record ClosedWindow<E>(List<Aggregate<E>> entries, long collected, long dropped) {
}
