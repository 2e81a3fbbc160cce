package io.microagent.aggregate;

/**
 * One identity's entry in a window: the first event seen (its timestamp is the first observation), how many
 * events had this identity, and the window's sums of the event's counters (bytes in and out, ...).
 */
public final class Aggregate<E> {
    private final E first;
    private final int hash;
    private final Identity<E> identity;
    long hits;
    final long[] sums;

    Aggregate(E first, int hash, Identity<E> identity, int counters) {
        this.first = first;
        this.hash = hash;
        this.identity = identity;
        this.sums = new long[counters];
    }

    public E first() {
        return first;
    }

    public long hitCount() {
        return hits;
    }

    public long sum(int counter) {
        return sums[counter];
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(Object other) {
        if (other instanceof Aggregate<?> a) {
            return identity.same(first, (E) a.first);
        }
        return other instanceof Probe<?> p && identity.same(first, (E) p.event);
    }

    /** A reusable lookup key holding the event being added: hits allocate nothing. */
    static final class Probe<E> {
        E event;
        int hash;
        Identity<E> identity;

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean equals(Object other) {
            return other instanceof Aggregate<?> a && identity.same(event, (E) a.first());
        }
    }
}
