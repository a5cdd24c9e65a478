package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.conf.AnnounceConfig;
import dev.ixora.conf.LargeCommunity;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The UPDATEs that carry the configured {@code announce:} routes to one established session, then
 * End-of-RIB for each negotiated family (RFC 4724 section 2). One UPDATE per route: the list is
 * short and each route may carry its own attributes.
 */
final class Announcements {
    private Announcements() {}

    /** The messages to send, and a warning for each route that could not be sent. */
    record Plan(List<UpdateMessage> updates, List<String> warnings) {
        Plan {
            updates = List.copyOf(updates);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param families     the families the session negotiated
     * @param localAddress our end of the session's TCP connection (the default next hop)
     */
    static Plan plan(List<AnnounceConfig> routes, long localAsn, long peerAsn, Set<AfiSafi> families,
                     InetAddress localAddress) {
        List<UpdateMessage> updates = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (AnnounceConfig route : routes) {
            if (!families.contains(route.family())) continue;
            InetAddress nextHop = route.nextHop().orElse(localAddress);
            if (!(route.prefix().isIpv4() ? nextHop instanceof Inet4Address : nextHop instanceof Inet6Address)) {
                warnings.add("announce " + route.prefix() + " skipped: no " + (route.prefix().isIpv4() ? "IPv4" : "IPv6")
                        + " next hop (the session runs over " + Addresses.format(localAddress)
                        + "; set next-hop in the announce entry)");
                continue;
            }
            updates.add(update(route, localAsn, peerAsn, nextHop));
        }
        families.stream().sorted((a, b) -> a.afi() != b.afi() ? Integer.compare(a.afi(), b.afi())
                : Integer.compare(a.safi(), b.safi())).forEach(f -> updates.add(UpdateMessage.endOfRib(f)));
        return new Plan(updates, warnings);
    }

    static UpdateMessage update(AnnounceConfig route, long localAsn, long peerAsn, InetAddress nextHop) {
        List<PathAttribute> attributes = new ArrayList<>();
        attributes.add(PathAttribute.Origin.IGP_ORIGIN);
        boolean internal = localAsn == peerAsn;
        // RFC 4271 section 5.1.2: to an external peer we prepend our own AS; to an internal peer the
        // AS_PATH of a route we originate is empty, and LOCAL_PREF is required (section 5.1.5).
        long[] path = new long[internal ? route.asPathPrepend() : 1 + route.asPathPrepend()];
        Arrays.fill(path, localAsn);
        attributes.add(AsPath.sequence(path));
        if (internal) attributes.add(new PathAttribute.LocalPref(100));
        route.med().ifPresent(m -> attributes.add(new PathAttribute.Med(m)));
        if (!route.communities().isEmpty()) {
            attributes.add(new PathAttribute.Communities(
                    route.communities().stream().mapToInt(c -> (int) c.value()).toArray()));
        }
        if (!route.largeCommunities().isEmpty()) {
            long[] parts = new long[route.largeCommunities().size() * 3];
            int i = 0;
            for (LargeCommunity l : route.largeCommunities()) {
                parts[i++] = l.globalAdmin();
                parts[i++] = l.local1();
                parts[i++] = l.local2();
            }
            attributes.add(PathAttribute.LargeCommunities.of(parts));
        }
        Prefix prefix = Prefix.fromBytes(!route.prefix().isIpv4(), route.prefix().address().getAddress(),
                route.prefix().length());
        Nlri nlri = new Nlri(prefix);
        if (route.prefix().isIpv4()) {
            attributes.add(new PathAttribute.NextHop(toInt(nextHop.getAddress())));
            return UpdateMessage.announce(attributes, List.of(nlri));
        }
        // RFC 4760 section 3 / RFC 2545 section 3: IPv6 routes and their next hop travel in MP_REACH_NLRI.
        attributes.add(new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, nextHop.getAddress(), List.of(nlri)));
        return new UpdateMessage(List.of(), attributes, List.of());
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
