package dev.ixora.server;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.PathAttribute;
import dev.ixora.rib.Route;
import dev.ixora.rib.RouteAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attributes a route leaves with, per kind of client. Two kinds:
 * <ul>
 *   <li>route-server client (RFC 7947 section 2.2): transparent. Our ASN is not prepended, NEXT_HOP,
 *       MED, COMMUNITIES, LARGE_COMMUNITY and everything else known pass unchanged. LOCAL_PREF is
 *       not sent (RFC 4271 section 5.1.5: not to external peers); ORIGINATOR_ID and CLUSTER_LIST
 *       are not sent either (RFC 4456 section 8: route-reflection attributes stay inside the AS).</li>
 *   <li>normal eBGP peer (RFC 4271 section 5.1): our ASN prepended, NEXT_HOP set to our address on
 *       the session, MED received from another AS not passed on (section 5.1.4), no LOCAL_PREF.</li>
 * </ul>
 * Unknown attributes, both kinds (RFC 4271 section 5 and 9.1.2 end): optional non-transitive ones are
 * dropped; optional transitive ones go on with their value byte for byte and the Partial bit set,
 * as BIRD (attrs.c, bgp_export_unknown) does for route-server clients too. RFC 7947 section 2.2
 * asks for transparency of the attributes' content and is silent on the flag; Partial only says
 * "some speaker on the path did not understand this", which is true of us.
 *
 * <p>{@code next-hop-self: true} on a peer sets NEXT_HOP to our session address for it whatever its kind.
 *
 * <p>Routes the daemon originates ({@code announce:}) always get our ASN (they are ours: RFC 4271
 * section 5.1.2) and, without a configured next hop, our session address.
 */
final class ExportAttributes {
    private ExportAttributes() {}

    /**
     * How one client receives routes.
     *
     * @param selfV4 our IPv4 address for next-hop-self on this session, or null
     * @param selfV6 our IPv6 address for next-hop-self on this session, or null
     */
    record Style(boolean routeServer, long localAsn, long peerAsn, boolean nextHopSelf, byte[] selfV4, byte[] selfV6) {
        boolean internal() {
            return localAsn == peerAsn;
        }

        /** Value key for encode-once sharing: clients with equal styles get equal bytes. */
        Object key() {
            return List.of(routeServer, localAsn, internal(), nextHopSelf, Arrays.toString(selfV4), Arrays.toString(selfV6));
        }
    }

    /** What leaves: the attributes (without NEXT_HOP) and the next hop, 4, 16 or 32 bytes. */
    record Out(Attributes attributes, byte[] nextHop) {
        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Out x && x.attributes.equals(attributes) && Arrays.equals(x.nextHop, nextHop);
        }

        @Override
        public int hashCode() {
            return attributes.hashCode() * 31 + Arrays.hashCode(nextHop);
        }
    }

    /**
     * @param local the route is one the daemon originates
     * @return the outgoing attributes, or null when the route cannot be sent on this session (no
     *     next hop of the route's family to put in it, or internal to internal)
     */
    static Out of(Route route, boolean local, Style style) {
        return of(route.attributes(), route.prefix().v6(), route.peer().ebgp(), local, style);
    }

    /**
     * As {@link #of(Route, boolean, Style)} from what it reads of the route: its attributes, its
     * family, and whether its source peer is external.
     */
    static Out of(RouteAttributes attributes, boolean v6, boolean fromEbgp, boolean local, Style style) {
        // RFC 4271 section 9.2 (iBGP split horizon): a route learned from an internal peer is
        // not advertised to another internal peer
        if (style.internal() && !local && !fromEbgp) return null;
        Attributes in = attributes.source();
        byte[] nextHop = attributes.nextHop();
        boolean self = local ? nextHop.length == 0 : style.nextHopSelf() || (!style.routeServer() && !style.internal());
        if (self) nextHop = v6 ? style.selfV6() : style.selfV4();
        if (nextHop == null || nextHop.length == 0 || (!v6 && nextHop.length != 4)) return null;
        List<PathAttribute> out = new ArrayList<>(in.size() + 1);
        boolean prepend = !style.internal() && (local || !style.routeServer());
        boolean hadPath = false;
        for (PathAttribute a : in.list()) {
            switch (a.typeCode()) {
                case PathAttribute.NEXT_HOP, PathAttribute.ORIGINATOR_ID, PathAttribute.CLUSTER_LIST -> { }
                case PathAttribute.LOCAL_PREF -> {
                    if (style.internal()) out.add(a);
                }
                case PathAttribute.MULTI_EXIT_DISC -> {
                    // RFC 4271 section 5.1.4: a MED from another AS is not passed to a third AS (a route
                    // server is transparent: RFC 7947 section 2.2 keeps it)
                    if (style.routeServer() || local || style.internal()) out.add(a);
                }
                case PathAttribute.AS_PATH -> {
                    hadPath = true;
                    out.add(prepend ? ((AsPath) a).prepend(style.localAsn()) : a);
                }
                default -> {
                    if (a instanceof PathAttribute.UnknownAttribute u) {
                        if ((u.flags() & PathAttribute.TRANSITIVE) == 0) continue; // RFC 4271 section 5: not passed
                        out.add(new PathAttribute.UnknownAttribute(u.flags() | PathAttribute.PARTIAL, u.type(), u.value()));
                    } else {
                        out.add(a);
                    }
                }
            }
        }
        if (!hadPath) out.add(prepend ? AsPath.sequence(style.localAsn()) : AsPath.EMPTY);
        if (style.internal() && in.get(PathAttribute.LocalPref.class).isEmpty()) {
            out.add(new PathAttribute.LocalPref(attributes.localPref())); // RFC 4271 section 5.1.5
        }
        return new Out(new Attributes(out), nextHop);
    }
}
