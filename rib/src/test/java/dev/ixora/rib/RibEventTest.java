package dev.ixora.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.AttributeCache;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RibEvent#fromUpdate}: the same events as the straightforward reading of the message, shared where it can. */
class RibEventTest {
    static final List<PathAttribute> BASE = List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64501),
            new PathAttribute.NextHop(0xC6120001), new PathAttribute.LocalPref(200), new PathAttribute.Med(5));
    static final byte[] V6_NH = new byte[16];
    static final byte[] V4_NH_AS_MP = {(byte) 198, 18, 0, 1};

    /** What fromUpdate returned before it was built from the fields: announced() grouped by next hop. */
    static List<RibEvent> reference(int peerId, UpdateMessage update) {
        List<RibEvent> out = new ArrayList<>();
        if (update.endOfRibFamily().isPresent()) return List.of(new RibEvent.EndOfRib(peerId, update.endOfRibFamily().get()));
        List<Nlri> withdrawn = update.withdrawnAll().stream().map(UpdateMessage.Withdrawn::nlri).toList();
        if (!withdrawn.isEmpty()) out.add(new RibEvent.Withdraw(peerId, withdrawn));
        List<UpdateMessage.Announced> announced = update.announced();
        if (announced.isEmpty()) return out;
        Attributes attrs = update.pathAttributes();
        int from = 0;
        for (int i = 1; i <= announced.size(); i++) {
            if (i == announced.size() || !Arrays.equals(announced.get(i).nextHop(), announced.get(from).nextHop())) {
                List<Nlri> nlri = announced.subList(from, i).stream().map(UpdateMessage.Announced::nlri).toList();
                out.add(new RibEvent.Announce(peerId, nlri, RouteAttributes.of(attrs, announced.get(from).nextHop())));
                from = i;
            }
        }
        return out;
    }

    static List<Nlri> nlri(String... p) {
        return Arrays.stream(p).map(Nlri::parse).toList();
    }

    static List<PathAttribute> with(List<PathAttribute> a, PathAttribute... more) {
        List<PathAttribute> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    static List<UpdateMessage> messages() {
        PathAttribute.MpReach v6 = new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, V6_NH, nlri("2001:db8::/32", "2001:db9::/32"));
        PathAttribute.MpReach v4mp = new PathAttribute.MpReach(AfiSafi.of(1, 2), V4_NH_AS_MP, nlri("192.0.2.0/24"));
        PathAttribute.MpReach v4mpOther = new PathAttribute.MpReach(AfiSafi.of(1, 2), new byte[] {10, 0, 0, 1}, nlri("192.0.2.0/24"));
        PathAttribute.MpUnreach un6 = new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, nlri("2001:db7::/32"));
        List<PathAttribute> noNextHop = List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64501));
        return List.of(
                UpdateMessage.announce(BASE, nlri("203.0.113.0/24", "198.51.100.0/24")),
                new UpdateMessage(nlri("10.0.0.0/8"), BASE, nlri("203.0.113.0/24")),
                new UpdateMessage(nlri("10.0.0.0/8"), List.of(), List.of()),
                new UpdateMessage(nlri("10.0.0.0/8"), List.of(un6), List.of()),
                new UpdateMessage(nlri("10.0.0.0/8"), with(BASE, v6, un6), nlri("203.0.113.0/24")),
                UpdateMessage.announce(with(noNextHop, v6), List.of()),
                UpdateMessage.announce(with(noNextHop, v6), nlri("203.0.113.0/24")),
                UpdateMessage.announce(with(BASE, v4mp), nlri("203.0.113.0/24")),
                UpdateMessage.announce(with(BASE, v4mpOther), nlri("203.0.113.0/24")),
                UpdateMessage.announce(with(noNextHop, new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, V6_NH, List.of())), List.of()),
                UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST),
                UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST),
                new UpdateMessage(List.of(), List.of(), List.of()));
    }

    @Test
    void theSameEventsAsTheAnnouncedReading() {
        for (UpdateMessage m : messages()) {
            assertEquals(reference(7, m), RibEvent.fromUpdate(7, m), m.toString());
            // twice: the second time from what was kept with the attributes
            assertEquals(reference(7, m), RibEvent.fromUpdate(7, m), m.toString());
        }
    }

    static UpdateMessage decode(UpdateMessage m, AttributeCache cache) {
        ByteBuf b = BgpMessageCodec.encode(m, SessionCodecContext.FOUR_OCTET, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            return (UpdateMessage) ((DecodeResult.Decoded) BgpMessageCodec.decode(b, SessionCodecContext.FOUR_OCTET, cache)).message();
        } finally {
            b.release();
        }
    }

    @Test
    void updatesDecodedWithOneCacheShareTheirRouteAttributes() {
        AttributeCache cache = new AttributeCache();
        PathAttribute.MpReach v6 = new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, V6_NH, nlri("2001:db8::/32"));
        UpdateMessage a = decode(UpdateMessage.announce(with(BASE, v6), nlri("203.0.113.0/24")), cache);
        UpdateMessage b = decode(UpdateMessage.announce(with(BASE, new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, V6_NH,
                nlri("2001:db9::/32"))), nlri("198.51.100.0/24")), cache);
        assertEquals(1, cache.hits());
        List<RibEvent> ea = RibEvent.fromUpdate(1, a);
        List<RibEvent> eb = RibEvent.fromUpdate(1, b);
        assertEquals(reference(1, a), ea);
        assertEquals(reference(1, b), eb);
        RouteAttributes v4a = ((RibEvent.Announce) ea.get(0)).attributes();
        RouteAttributes v6a = ((RibEvent.Announce) ea.get(1)).attributes();
        assertSame(v4a, ((RibEvent.Announce) eb.get(0)).attributes(), "IPv4: derived once");
        assertSame(v6a, ((RibEvent.Announce) eb.get(1)).attributes(), "MP next hop: derived once");
        assertEquals(200, v4a.localPref());
        assertEquals(5, v4a.med());
        assertEquals(64501, v4a.neighborAs());
        assertEquals(4, v4a.nextHop().length);
        assertEquals(16, v6a.nextHop().length);
        // another MP next hop with the same attribute set: its own RouteAttributes, equal source
        UpdateMessage c = decode(UpdateMessage.announce(with(BASE, new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST,
                new byte[] {0x20, 1, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, nlri("2001:db9::/32"))),
                List.of()), cache);
        RouteAttributes v6c = ((RibEvent.Announce) RibEvent.fromUpdate(1, c).get(0)).attributes();
        assertTrue(!v6c.equals(v6a));
        assertSame(v6a.source(), v6c.source());
        assertEquals(reference(1, c), RibEvent.fromUpdate(1, c));
    }

    @Test
    void routeAttributesReadsEveryDecisionValue() {
        Attributes a = new Attributes(List.of(new PathAttribute.Origin(1), AsPath.sequence(64501, 64502, 64503),
                new PathAttribute.NextHop(0xC6120001), new PathAttribute.Med(7), new PathAttribute.LocalPref(50),
                new PathAttribute.OriginatorId(0x0A000001), new PathAttribute.ClusterList(new int[] {1, 2})));
        RouteAttributes r = RouteAttributes.of(a, new byte[] {1, 2, 3, 4});
        assertEquals(1, r.origin());
        assertEquals(3, r.asPathLength());
        assertEquals(7, r.med());
        assertEquals(50, r.localPref());
        assertEquals(0x0A000001L, r.originatorId());
        assertEquals(2, r.clusterListLength());
        assertEquals(64501, r.neighborAs());
        RouteAttributes none = RouteAttributes.of(Attributes.EMPTY, null);
        assertEquals(RouteAttributes.DEFAULT_LOCAL_PREF, none.localPref());
        assertEquals(-1, none.med());
        assertEquals(PathAttribute.Origin.INCOMPLETE, none.origin());
        assertEquals(0, none.asPathLength());
        assertEquals(-1, none.originatorId());
    }
}
