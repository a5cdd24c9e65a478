package dev.ixora.lab;

import dev.ixora.conf.ConfigError;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads from a composed YAML node tree that collect errors instead of throwing: each read
 * that finds a bad value records "file:line:column: what was expected, got what" and returns null
 * (or a neutral value), so one pass reports every problem in a file.
 */
final class YamlNodes {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    YamlNodes(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    List<ConfigError> errors() {
        return errors;
    }

    long asn(Node n) {
        String s = scalar(n, "an AS number");
        if (s == null) return 0;
        String digits = s.startsWith("AS") || s.startsWith("as") ? s.substring(2) : s;
        try {
            long v = Long.parseLong(digits);
            if (v >= 1 && v <= 4294967295L) return v; // RFC 6793: four-octet AS numbers
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(n, "expected an AS number 1..4294967295, got \"" + s + "\"");
        return 0;
    }

    long number(Node n, long min, long max) {
        String s = scalar(n, "a number");
        if (s == null) return min;
        try {
            long v = Long.parseLong(s);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(n, "expected a number " + min + ".." + max + ", got \"" + s + "\"");
        return min;
    }

    boolean bool(Node n) {
        String s = scalar(n, "true or false");
        if ("true".equals(s)) return true;
        if (s != null && !"false".equals(s)) error(n, "expected true or false, got \"" + s + "\"");
        return false;
    }

    String required(Map<String, Node> m, Node where, String key, String what) {
        if (!m.containsKey(key)) {
            error(where, "missing required key \"" + key + "\" (" + what + ")");
            return null;
        }
        return scalar(m.get(key), what);
    }

    String scalar(Node n, String what) {
        if (n instanceof ScalarNode s) return s.getValue();
        error(n, "expected " + what + ", got a " + (n instanceof MappingNode ? "map" : "list"));
        return null;
    }

    List<Node> seq(Node n, String what) {
        if (n instanceof SequenceNode s) return s.getValue();
        error(n, "expected " + what);
        return List.of();
    }

    /** A mapping's entries by key; unknown and duplicate keys are reported (with the allowed keys). */
    Map<String, Node> map(Node n, List<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (!(n instanceof MappingNode m)) {
            error(n, "expected a map with keys " + allowed);
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode(), "a key");
            if (k == null) continue;
            if (!allowed.contains(k)) {
                error(t.getKeyNode(), "unknown key \"" + k + "\", expected one of " + allowed);
            } else if (out.put(k, t.getValueNode()) != null) {
                error(t.getKeyNode(), "duplicate key \"" + k + "\"");
            }
        }
        return out;
    }

    void error(Node n, String message) {
        Optional<Mark> m = n == null ? Optional.empty() : n.getStartMark();
        errors.add(new ConfigError(file, m.map(x -> x.getLine() + 1).orElse(1), m.map(x -> x.getColumn() + 1).orElse(1), message));
    }
}
