package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.UpdateMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdjRibInTest {
    private static final Instant T = Instant.EPOCH;
    private static final byte[] NH6 = new byte[16];

    static {
        NH6[0] = 0x20;
        NH6[1] = 0x01;
        NH6[15] = 1;
    }

    private static List<PathAttribute> attrs(long... path) {
        return List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(path), PathAttribute.NextHop.parse("198.18.1.1"));
    }

    @Test
    void announceReplaceWithdraw() {
        AdjRibIn rib = new AdjRibIn();
        assertEquals(new AdjRibIn.Change(2, 0), rib.apply("p", UpdateMessage.announce(attrs(1),
                List.of(Nlri.parse("203.0.113.0/24"), Nlri.parse("198.51.100.0/24"))), T));
        // An implicit withdraw: the same NLRI again replaces the route (RFC 4271 section 3.1).
        rib.apply("p", UpdateMessage.announce(attrs(1, 2), List.of(Nlri.parse("203.0.113.0/24"))), T);
        assertEquals(2, rib.routes("p").size());
        assertEquals(AsPath.sequence(1, 2), rib.routes("p").get(1).attributes().get(AsPath.class).orElseThrow());
        // Withdrawn and re-announced in one UPDATE: it stays announced.
        assertEquals(new AdjRibIn.Change(1, 1), rib.apply("p", new UpdateMessage(List.of(Nlri.parse("198.51.100.0/24")),
                attrs(3), List.of(Nlri.parse("198.51.100.0/24"))), T));
        assertEquals(2, rib.routes("p").size());
        // Withdrawing something never announced changes nothing.
        assertEquals(new AdjRibIn.Change(0, 0), rib.apply("p",
                new UpdateMessage(List.of(Nlri.parse("192.0.2.0/24")), List.of(), List.of()), T));
    }

    @Test
    void addPathIdsAreSeparateRoutesAndMpUnreachWithdraws() {
        AdjRibIn rib = new AdjRibIn();
        Prefix p = Prefix.parse("2001:db8::/32");
        rib.apply("p", new UpdateMessage(List.of(), List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(1),
                new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, NH6, List.of(new Nlri(p, 1), new Nlri(p, 2)))),
                List.of()), T);
        assertEquals(Map.of(AfiSafi.IPV4_UNICAST, 0, AfiSafi.IPV6_UNICAST, 2), rib.counts("p"));
        rib.apply("p", new UpdateMessage(List.of(),
                List.of(new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, List.of(new Nlri(p, 1)))), List.of()), T);
        assertEquals(List.of(new Nlri(p, 2)), rib.routes("p").stream().map(AdjRibIn.Route::nlri).toList());
        assertEquals(1, rib.clear("p"));
        assertEquals(0, rib.size());
        assertEquals(List.of(), rib.routes("p"));
    }
}
