package dev.ixora.rib;

import dev.ixora.codec.Prefix;
import java.util.Objects;

/**
 * What to send a client for one prefix: its chosen route, or a withdrawal ({@link #withdrawal()}).
 *
 * <p>A drain makes one of these per changed prefix and update group (1x1000000: a million of them,
 * many kept in the group's log until every member has read them), so it carries the prefix as its
 * packed bits and, of the route, what export reads (source peer, interned attributes, path id,
 * stale flag, interior cost): no Prefix and no Route object. {@link #prefix()} and {@link #route()}
 * build those on demand (looking glass, tests, rare paths); export reads the fields. The route is
 * always an eligible one (RFC 4271 section 9.1.2: only eligible paths are chosen), so its
 * {@link Route#filteredReason()} is null and {@link Route#unresolved()} false. Immutable; equal
 * when prefix and route are equal.
 */
public final class ExportedRoute {
    private static final int V6 = 1;
    private static final int STALE = 2;
    private static final int NO_PATH_ID = 4;

    private final long hi;
    private final long lo;
    /** Null for a withdrawal. */
    private final PeerInfo peer;
    private final RouteAttributes attributes;
    /** The path id's 32 bits (RFC 7911), unless {@link #NO_PATH_ID}. */
    private final int pathId;
    private final int igpCost;
    private final byte length;
    private final byte flags;

    /**
     * @param route the chosen route, an eligible one; null for a withdrawal
     * @throws IllegalArgumentException when the route is not eligible, or its path id or interior cost
     *     is out of range (path id -1 or unsigned 32-bit, cost in [0, 2^31))
     */
    public ExportedRoute(Prefix prefix, Route route) {
        this(prefix.hi(), prefix.lo(), prefix.length(), prefix.v6(), route == null ? null : route.peer(),
                route == null ? null : route.attributes(), route == null ? -1 : route.pathId(),
                route != null && route.stale(), route == null ? 0 : route.igpCost());
        if (route != null && !route.eligible()) throw new IllegalArgumentException("not an eligible route: " + route);
        if (route != null) Objects.requireNonNull(route.peer(), "peer");
    }

    /** From packed parts (the drain side): {@code peer == null} is a withdrawal. Bits as in {@link Prefix}. */
    ExportedRoute(long hi, long lo, int length, boolean v6, PeerInfo peer, RouteAttributes attributes, long pathId,
                  boolean stale, long igpCost) {
        if (pathId < -1 || pathId > 0xFFFF_FFFFL) throw new IllegalArgumentException("path id out of range: " + pathId);
        if (igpCost < 0 || igpCost > Integer.MAX_VALUE) throw new IllegalArgumentException("interior cost out of range: " + igpCost);
        this.hi = hi;
        this.lo = lo;
        this.length = (byte) length;
        this.peer = peer;
        this.attributes = peer == null ? null : attributes;
        this.pathId = (int) pathId;
        this.igpCost = (int) igpCost;
        this.flags = (byte) ((v6 ? V6 : 0) | (stale && peer != null ? STALE : 0) | (pathId < 0 || peer == null ? NO_PATH_ID : 0));
    }

    public boolean withdrawal() {
        return peer == null;
    }

    /** A new Prefix object each call: hot paths read {@link #prefixHi}, {@link #prefixLo}, {@link #prefixLength}. */
    public Prefix prefix() {
        return new Prefix(hi, lo, prefixLength(), v6());
    }

    /** A new Route object each call (null for a withdrawal): hot paths read the fields below. */
    public Route route() {
        return peer == null ? null : new Route(prefix(), peer, pathId(), attributes, stale(), null, false, igpCost);
    }

    /** As {@link Prefix#hi()}: the upper 64 bits of an IPv6 address, 0 for IPv4. */
    public long prefixHi() {
        return hi;
    }

    /** As {@link Prefix#lo()}: the lower 64 bits of an IPv6 address, an IPv4 address in the low 32. */
    public long prefixLo() {
        return lo;
    }

    public int prefixLength() {
        return length & 0xFF;
    }

    public boolean v6() {
        return (flags & V6) != 0;
    }

    /** The route's source peer, null for a withdrawal. */
    public PeerInfo peer() {
        return peer;
    }

    /** The route's interned attributes, null for a withdrawal. */
    public RouteAttributes attributes() {
        return attributes;
    }

    /** ADD-PATH id the route arrived with, -1 when none (and for a withdrawal). */
    public long pathId() {
        return (flags & NO_PATH_ID) != 0 ? -1 : Integer.toUnsignedLong(pathId);
    }

    public boolean stale() {
        return (flags & STALE) != 0;
    }

    public long igpCost() {
        return igpCost;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ExportedRoute x && x.prefix().equals(prefix()) && Objects.equals(x.route(), route());
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix(), route());
    }

    @Override
    public String toString() {
        return "ExportedRoute[prefix=" + prefix() + ", route=" + route() + "]";
    }
}
