package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.conf.Addresses;
import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {
    private static ConfigImage config() throws Exception {
        return ConfigLoader.parse("t.yaml", """
                router: {asn: 64500, router-id: 198.18.0.1}
                announce:
                  - prefix: 203.0.113.0/24
                    communities: ["64500:1", no-export]
                    large-communities: ["64500:1:2"]
                    med: 10
                    as-path-prepend: 2
                  - prefix: 2001:db8:1::/48
                  - prefix: 2001:db8:2::/48
                    next-hop: 2001:db8::99
                """);
    }

    @Test
    void ipv4SessionGetsIpv4RoutesWithTheSessionAddressAsNextHop() throws Exception {
        ConfigImage c = config();
        Announcements.Plan plan = Announcements.plan(c.announce(), 64500, 64501, Set.of(AfiSafi.IPV4_UNICAST),
                Addresses.parse("198.18.0.1"));
        assertEquals(2, plan.updates().size()); // the IPv4 route and End-of-RIB
        UpdateMessage u = plan.updates().get(0);
        assertEquals(List.of(Nlri.parse("203.0.113.0/24")), u.nlri());
        assertEquals(Optional.of(PathAttribute.Origin.IGP_ORIGIN), u.attribute(PathAttribute.Origin.class));
        assertEquals(Optional.of(AsPath.sequence(64500, 64500, 64500)), u.attribute(AsPath.class));
        assertEquals(Optional.of(PathAttribute.NextHop.parse("198.18.0.1")), u.attribute(PathAttribute.NextHop.class));
        assertEquals(Optional.of(new PathAttribute.Med(10)), u.attribute(PathAttribute.Med.class));
        assertArrayEquals(new int[] {(64500 << 16) | 1, 0xFFFFFF01},
                u.attribute(PathAttribute.Communities.class).orElseThrow().values());
        assertEquals(Optional.of(PathAttribute.LargeCommunities.of(64500, 1, 2)),
                u.attribute(PathAttribute.LargeCommunities.class));
        assertTrue(u.attribute(PathAttribute.LocalPref.class).isEmpty());
        assertEquals(Optional.of(AfiSafi.IPV4_UNICAST), plan.updates().get(1).endOfRibFamily());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void ipv6RoutesNeedAnIpv6NextHop() throws Exception {
        ConfigImage c = config();
        Announcements.Plan plan = Announcements.plan(c.announce(), 64500, 64501,
                Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), Addresses.parse("198.18.0.1"));
        // 203.0.113.0/24, 2001:db8:2::/48 (configured next hop), EoR v4, EoR v6; 2001:db8:1::/48 skipped.
        assertEquals(4, plan.updates().size());
        assertEquals(1, plan.warnings().size());
        assertTrue(plan.warnings().get(0).startsWith("announce 2001:db8:1::/48 skipped: no IPv6 next hop"),
                plan.warnings().get(0));
        PathAttribute.MpReach reach = plan.updates().get(1).attribute(PathAttribute.MpReach.class).orElseThrow();
        assertEquals(AfiSafi.IPV6_UNICAST, reach.afiSafi());
        assertArrayEquals(Addresses.parse("2001:db8::99").getAddress(), reach.nextHop());
        assertEquals(List.of(Nlri.parse("2001:db8:2::/48")), reach.nlri());
        assertEquals(Optional.of(AfiSafi.IPV4_UNICAST), plan.updates().get(2).endOfRibFamily());
        assertEquals(Optional.of(AfiSafi.IPV6_UNICAST), plan.updates().get(3).endOfRibFamily());
    }

    @Test
    void ipv6SessionUsesItsLocalAddress() throws Exception {
        Announcements.Plan plan = Announcements.plan(config().announce(), 64500, 64501, Set.of(AfiSafi.IPV6_UNICAST),
                Addresses.parse("2001:db8::1"));
        assertEquals(3, plan.updates().size());
        assertArrayEquals(Addresses.parse("2001:db8::1").getAddress(),
                plan.updates().get(0).attribute(PathAttribute.MpReach.class).orElseThrow().nextHop());
    }

    @Test
    void internalPeerGetsEmptyPathAndLocalPref() throws Exception {
        UpdateMessage u = Announcements.plan(config().announce(), 64500, 64500, Set.of(AfiSafi.IPV4_UNICAST),
                Addresses.parse("198.18.0.1")).updates().get(0);
        // RFC 4271 5.1.2: no own AS towards an internal peer (the configured prepends stay).
        assertEquals(Optional.of(AsPath.sequence(64500, 64500)), u.attribute(AsPath.class));
        assertEquals(Optional.of(new PathAttribute.LocalPref(100)), u.attribute(PathAttribute.LocalPref.class));
    }
}
