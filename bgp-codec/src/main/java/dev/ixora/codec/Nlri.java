package dev.ixora.codec;

/**
 * One NLRI entry: a prefix and, when ADD-PATH is in use for its family, the path identifier
 * (RFC 7911 section 3: a 32-bit unsigned value). {@code pathId == NO_PATH_ID} (-1) without ADD-PATH.
 */
public record Nlri(Prefix prefix, long pathId) implements Comparable<Nlri> {
    public static final long NO_PATH_ID = -1;

    public Nlri {
        if (prefix == null) throw new IllegalArgumentException("prefix is required");
        if (pathId < -1 || pathId > 0xFFFFFFFFL) throw new IllegalArgumentException("path id out of range: " + pathId);
    }

    public Nlri(Prefix prefix) {
        this(prefix, NO_PATH_ID);
    }

    public static Nlri parse(String prefix) {
        return new Nlri(Prefix.parse(prefix));
    }

    public boolean hasPathId() {
        return pathId != NO_PATH_ID;
    }

    @Override
    public int compareTo(Nlri o) {
        int c = prefix.compareTo(o.prefix);
        return c != 0 ? c : Long.compare(pathId, o.pathId);
    }

    @Override
    public String toString() {
        return hasPathId() ? prefix + " path-id " + pathId : prefix.toString();
    }
}
