package dev.ixora.rib;

/**
 * What the decision process reads from a path. Implemented by flyweight cursors over the packed
 * tables (no object per route) and by plain records in tests. Every value is already normalised:
 * absent attributes are reported as documented per method.
 */
public interface PathView {
    /** LOCAL_PREF, or the configured default (100) when absent; unsigned 32-bit. */
    long localPref();

    /** AS_PATH length per RFC 4271 9.1.2.2 a): an AS_SET counts 1, confederation segments 0. */
    int asPathLength();

    /** ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE (RFC 4271 section 5.1.1). */
    int origin();

    /** MULTI_EXIT_DISC as an unsigned 32-bit value, or -1 when the attribute is absent. */
    long med();

    /** The neighbour AS for MED comparison: the first AS of the AS_PATH, 0 when the path is empty (local). */
    long neighborAs();

    /** True when the path was learned over an external session. */
    boolean ebgp();

    /** Interior cost to the NEXT_HOP from the {@link NextHopResolver}; 0 on a shared LAN. */
    long igpCost();

    /** Monotonic arrival number: lower is older. */
    long arrival();

    /** ORIGINATOR_ID (RFC 4456) as unsigned 32-bit, or -1 when absent. */
    long originatorId();

    /** The BGP Identifier of the peer the path came from, unsigned 32-bit. */
    long peerRouterId();

    /** Number of entries in CLUSTER_LIST (RFC 4456), 0 when absent. */
    int clusterListLength();

    /** The peer's transport address (4 or 16 bytes). Callers must not modify it. */
    byte[] peerAddress();

    /** ADD-PATH path identifier (RFC 7911), or -1 when the peer does not send one. */
    long pathId();
}
