package dev.ixora.conf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of the config, read key by key. Every problem becomes a {@link ConfigError} at
 * the node's line and column, and reading goes on, so one pass finds all errors. Values that could
 * not be read come back as null (or the default), and the caller builds nothing from them.
 */
final class Section {
    private final Errors errors;
    private final Node node;
    private final String where;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, Node> keys = new LinkedHashMap<>();

    /** Collected errors of one file. */
    static final class Errors {
        final String file;
        final List<ConfigError> list = new ArrayList<>();

        Errors(String file) {
            this.file = file;
        }

        void at(Node node, String message) {
            at(node.getStartMark().orElse(null), message);
        }

        void at(Mark mark, String message) {
            int line = mark == null ? 1 : mark.getLine() + 1;
            int column = mark == null ? 1 : mark.getColumn() + 1;
            list.add(new ConfigError(file, line, column, message));
        }

        int count() {
            return list.size();
        }
    }

    /** A scalar type: what the error says was expected, and how to parse the text. */
    record Kind<T>(String what, Function<String, T> parse) {}

    private Section(Errors errors, Node node, String where) {
        this.errors = errors;
        this.node = node;
        this.where = where;
    }

    /** Reads a mapping with the given allowed keys, or returns null after reporting why it is not one. */
    static Section of(Errors errors, Node node, String where, List<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            errors.at(node, "expected a mapping for " + where + ", got " + describe(node));
            return null;
        }
        Section s = new Section(errors, node, where);
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                errors.at(t.getKeyNode(), "expected a plain key in " + where + ", got " + describe(t.getKeyNode()));
                continue;
            }
            String key = k.getValue();
            if (!allowed.contains(key)) {
                String guess = Values.closest(key, allowed);
                errors.at(k, "unknown key \"" + key + "\" in " + where
                        + (guess != null ? "; did you mean \"" + guess + "\"?" : "")
                        + " (allowed: " + String.join(", ", allowed) + ")");
                continue;
            }
            Node first = s.keys.get(key);
            if (first != null) {
                errors.at(k, "duplicate key \"" + key + "\" in " + where + " (first at line "
                        + (first.getStartMark().map(Mark::getLine).orElse(0) + 1) + ")");
                continue;
            }
            s.keys.put(key, k);
            s.values.put(key, t.getValueNode());
        }
        return s;
    }

    Node node() {
        return node;
    }

    String where() {
        return where;
    }

    Errors errors() {
        return errors;
    }

    /** The value node of a key, or null when absent. */
    Node get(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    <T> T required(String key, Kind<T> kind) {
        Node v = values.get(key);
        if (v == null) {
            missing(key);
            return null;
        }
        return scalar(errors, v, kind);
    }

    <T> T optional(String key, Kind<T> kind, T fallback) {
        Node v = values.get(key);
        if (v == null) return fallback;
        T t = scalar(errors, v, kind);
        return t == null ? fallback : t;
    }

    void missing(String key) {
        errors.at(node, "missing required key \"" + key + "\" in " + where);
    }

    /**
     * The items of a sequence value; a single scalar is accepted as a one-item list. Null when the key
     * is absent; an empty list (after reporting) when the value is not a sequence.
     */
    List<Node> list(String key) {
        Node v = values.get(key);
        if (v == null) return null;
        if (v instanceof SequenceNode seq) return seq.getValue();
        if (v instanceof ScalarNode sc && !sc.getTag().equals(Tag.NULL)) return List.of(v);
        errors.at(v, "expected a list for \"" + key + "\" in " + where + ", got " + describe(v));
        return List.of();
    }

    /** Parses a scalar node, reporting a wrong node type or a parse error; null on error. */
    static <T> T scalar(Errors errors, Node v, Kind<T> kind) {
        if (!(v instanceof ScalarNode sc) || sc.getTag().equals(Tag.NULL)) {
            errors.at(v, "expected " + kind.what() + ", got " + describe(v));
            return null;
        }
        try {
            return kind.parse().apply(sc.getValue());
        } catch (IllegalArgumentException e) {
            errors.at(v, e.getMessage());
            return null;
        }
    }

    static String describe(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (n instanceof ScalarNode s) return s.getTag().equals(Tag.NULL) ? "nothing" : "\"" + s.getValue() + "\"";
        return "a " + n.getNodeType();
    }
}
