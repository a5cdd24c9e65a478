package dev.ixora.conf;

/**
 * One problem found in a config file, at a 1-based line and column, e.g.
 * {@code ixora.yaml:7:14: expected an IPv4 or IPv6 address, got "198.18.1"}.
 */
public record ConfigError(String file, int line, int column, String message) {
    public ConfigError {
        if (file == null || file.isEmpty()) throw new IllegalArgumentException("file is required");
        if (line < 1 || column < 1) throw new IllegalArgumentException("line and column are 1-based");
        if (message == null || message.isEmpty()) throw new IllegalArgumentException("message is required");
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
