package io.microagent.aggregate;

/**
 * What makes two events "identical" for aggregation (for processes: command line and uid). Written as a hash
 * and an equality over the events themselves, so a hit needs no key object.
 */
public interface Identity<E> {
    int hash(E event);

    boolean same(E a, E b);
}
