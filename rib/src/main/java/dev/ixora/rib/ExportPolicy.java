package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/**
 * Export policy of a route-server client. Clients whose policies are equal share one computation
 * (an update group), so implementations must have value equality. {@link #ACCEPT} and
 * {@link #REJECT} are recognised and never called per route.
 */
@FunctionalInterface
public interface ExportPolicy {
    ExportPolicy ACCEPT = (prefix, source, attributes) -> true;
    ExportPolicy REJECT = (prefix, source, attributes) -> false;

    /** May a route from {@code source} with these attributes be sent to the clients of this policy? */
    boolean permits(Prefix prefix, PeerInfo source, RouteAttributes attributes);
}
