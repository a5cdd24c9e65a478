package dev.ixora.server;

import java.util.List;
import java.util.Locale;

/**
 * Configures slf4j-simple for the daemon: stdout, ISO timestamps, one level. Must run before the
 * first logger is created (slf4j-simple reads its settings once).
 */
final class Logging {
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    private Logging() {}

    /** The level from the option, else $IXORA_LOG_LEVEL, else info; IllegalArgumentException if unknown. */
    static String level(String option, String env) {
        String level = option != null ? option : env != null && !env.isBlank() ? env : "info";
        level = level.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("unknown log level \"" + level + "\" (allowed: " + String.join(", ", LEVELS) + ")");
        }
        return level;
    }

    static void configure(String level) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
        // Netty's own debug output is about its internals, not about BGP: keep it for trace.
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", level.equals("trace") ? "debug" : "info");
    }
}
