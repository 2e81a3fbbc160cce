package io.microagent.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as {@link Json#read} gives them, Jackson's "untyped" model: an object is a {@code Map<String, Object>}
 * in document order, an array a {@code List<Object>}, a string a String, a number an Integer, Long, BigInteger or
 * Double, true and false Booleans, and JSON's null (like an empty document) null. Plain collections rather than
 * Jackson's tree nodes: its databind library would cost a device half a megabyte of resident memory for them.
 */
public final class Tree {
    private Tree() {
    }

    public static boolean isObject(Object value) {
        return value instanceof Map;
    }

    /** An object's members; none for anything else. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** An array's items; none for anything else. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A member of an object; null when absent, null, or the value is no object. */
    public static Object get(Object value, String name) {
        return value instanceof Map<?, ?> m ? m.get(name) : null;
    }

    public static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof List;
    }

    /** A value's text as Jackson's {@code asText} gives it: a scalar's, "null" for null, "" for an object or array. */
    public static String asText(Object value) {
        return isContainer(value) ? "" : String.valueOf(value);
    }

    /** A member's text as Jackson's {@code path(name).asText()} gives it: {@link #asText}, or "" where it is absent. */
    public static String memberText(Object value, String name) {
        Map<String, Object> members = object(value);
        return members.containsKey(name) ? asText(members.get(name)) : "";
    }

    /** A number (or a string of one) as a long, else {@code absent}. */
    public static long asLong(Object value, long absent) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }

    /** A copy that shares nothing changeable with the value. */
    public static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return value;
    }
}
