package io.microagent.config;

/** How one key's text becomes a value, and how to say what is accepted when it cannot. */
public interface ValueType<T> {
    /** @throws IllegalArgumentException when the text is not accepted */
    T parse(String text);

    /** What the key accepts, for error lines: "a whole number from 1 to 1000000". */
    String accepted();
}
