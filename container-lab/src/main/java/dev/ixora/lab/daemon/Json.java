package dev.ixora.lab.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader (RFC 8259) for the daemons' CLI output and Ixora's HTTP API answers. Objects
 * become LinkedHashMaps, arrays Lists, numbers Long (or Double when they have a fraction or
 * exponent), true/false Boolean, null null. Some CLIs print several documents back to back (vtysh
 * with several -c), so {@link #parseAll} reads a sequence of values.
 */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** One JSON value; anything but whitespace after it is an error. */
    static Object parse(String text) {
        List<Object> all = parseAll(text);
        if (all.size() != 1) throw new IllegalArgumentException("expected one JSON value, found " + all.size());
        return all.get(0);
    }

    /** Every JSON value in the text, in order (concatenated documents, or one per line). */
    static List<Object> parseAll(String text) {
        Json p = new Json(text);
        List<Object> out = new ArrayList<>();
        p.skipWs();
        while (p.i < p.s.length()) {
            out.add(p.value());
            p.skipWs();
        }
        return out;
    }

    /** Walks maps by key: path(obj, "a", "b") is obj.a.b, or null when any step is missing. */
    static Object path(Object node, String... keys) {
        Object cur = node;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object node) {
        return node == null ? null : String.valueOf(node);
    }

    static Long num(Object node) {
        if (node instanceof Number n) return n.longValue();
        if (node instanceof String t && t.matches("-?\\d+")) return Long.parseLong(t);
        return null;
    }

    private Object value() {
        skipWs();
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++; // '{'
        skipWs();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            skipWs();
            if (peek() != '"') throw error("expected a key");
            String k = string();
            skipWs();
            expect(':');
            m.put(k, value());
            skipWs();
            char c = next();
            if (c == '}') return m;
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++; // '['
        skipWs();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value());
            skipWs();
            char c = next();
            if (c == ']') return l;
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private String string() {
        i++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("short \\u escape");
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e); // '"', '\\', '/'
            }
        }
    }

    private Object number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
        String t = s.substring(start, i);
        try {
            if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
            return Long.parseLong(t);
        } catch (NumberFormatException ex) {
            if (t.matches("-?\\d+")) return Double.parseDouble(t); // beyond long
            throw error("bad number " + t);
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw error("expected " + word);
        i += word.length();
        return v;
    }

    private void skipWs() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private char peek() {
        if (i >= s.length()) throw error("unexpected end");
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) throw error("expected '" + c + "'");
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON at offset " + i + ": " + what);
    }
}
