package dev.ixora.rib;

/**
 * Resolves a NEXT_HOP to an interior cost. RFC 4271 section 9.1.2: a route whose NEXT_HOP is
 * unresolvable is excluded from the decision process.
 */
@FunctionalInterface
public interface NextHopResolver {
    /** Returned by {@link #cost} when the next hop cannot be reached. */
    long UNRESOLVABLE = -1;

    /** A route server sits on the peering LAN: every next hop is directly connected, cost 0. */
    NextHopResolver ON_LINK = nextHop -> 0;

    /** Cost (unsigned, up to 2^32-1) to reach {@code nextHop} (4 or 16 bytes), or {@link #UNRESOLVABLE}. */
    long cost(byte[] nextHop);
}
