package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/**
 * One path of one prefix as readers see it (looking glass, export). Built on demand from the packed
 * tables; the tables themselves hold no Route objects.
 *
 * @param pathId ADD-PATH id, -1 when none
 * @param filteredReason why import policy rejected it, null when accepted
 * @param stale kept across the peer's graceful restart (RFC 4724)
 * @param unresolved next hop unresolvable: ineligible (RFC 4271 9.1.2)
 */
public record Route(Prefix prefix, PeerInfo peer, long pathId, RouteAttributes attributes,
                    boolean stale, String filteredReason, boolean unresolved, long igpCost) {
    public boolean eligible() {
        return filteredReason == null && !unresolved;
    }
}
