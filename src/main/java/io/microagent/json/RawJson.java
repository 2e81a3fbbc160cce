package io.microagent.json;

/** JSON text already written (an event inside a message's envelope): written as it is. */
public record RawJson(String json) {
}
