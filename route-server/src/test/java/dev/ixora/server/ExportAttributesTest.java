package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.rib.ExportPolicy;
import dev.ixora.rib.ImportPolicy;
import dev.ixora.rib.PeerInfo;
import dev.ixora.rib.Route;
import dev.ixora.rib.RouteAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outgoing attributes per kind of client, and UPDATE packing within the message size. */
class ExportAttributesTest {
    private static final byte[] SELF = {(byte) 198, 18, 0, 1};
    private static final ExportAttributes.Style RS = new ExportAttributes.Style(true, 64500, 64512, false, SELF, null);
    private static final ExportAttributes.Style EBGP = new ExportAttributes.Style(false, 64500, 64512, false, SELF, null);
    private static final ExportAttributes.Style IBGP = new ExportAttributes.Style(false, 64500, 64500, false, SELF, null);

    private static Route route(List<PathAttribute> attrs, byte[] nextHop) throws Exception {
        PeerInfo from = new PeerInfo(1, InetAddress.getByName("198.18.0.11"), 64511, 1, true, true,
                ImportPolicy.ACCEPT, ExportPolicy.ACCEPT);
        return new Route(Prefix.parse("203.0.113.0/24"), from, -1, RouteAttributes.of(new Attributes(attrs), nextHop),
                false, null, false, 0);
    }

    private static List<PathAttribute> received() {
        return List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(64511), PathAttribute.NextHop.parse("198.18.0.11"),
                new PathAttribute.Med(7), new PathAttribute.LocalPref(300), new PathAttribute.Communities(new int[] {1}),
                new PathAttribute.OriginatorId(5),
                new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE, 99, new byte[] {1, 2}),
                new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL, 98, new byte[] {3}));
    }

    @Test
    void routeServerClientsGetTheRouteAsItCame() throws Exception {
        ExportAttributes.Out out = ExportAttributes.of(route(received(), new byte[] {(byte) 198, 18, 0, 11}), false, RS);
        Attributes a = out.attributes();
        assertEquals(AsPath.sequence(64511), a.get(AsPath.class).orElseThrow(), "RFC 7947: own ASN not prepended");
        assertArrayEquals(new byte[] {(byte) 198, 18, 0, 11}, out.nextHop());
        assertEquals(7, a.get(PathAttribute.Med.class).orElseThrow().value());
        assertTrue(a.get(PathAttribute.LocalPref.class).isEmpty());
        assertTrue(a.get(PathAttribute.OriginatorId.class).isEmpty());
        assertTrue(a.get(PathAttribute.NextHop.class).isEmpty(), "the packer adds NEXT_HOP");
        List<PathAttribute.UnknownAttribute> unknown = a.list().stream()
                .filter(x -> x instanceof PathAttribute.UnknownAttribute).map(x -> (PathAttribute.UnknownAttribute) x).toList();
        assertEquals(1, unknown.size(), "non-transitive unknown dropped");
        assertEquals(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL, unknown.get(0).flags());
        assertArrayEquals(new byte[] {1, 2}, unknown.get(0).value());
    }

    @Test
    void normalEbgpPrependsSetsNextHopSelfAndDropsMed() throws Exception {
        ExportAttributes.Out out = ExportAttributes.of(route(received(), new byte[] {(byte) 198, 18, 0, 11}), false, EBGP);
        assertEquals(AsPath.sequence(64500, 64511), out.attributes().get(AsPath.class).orElseThrow());
        assertArrayEquals(SELF, out.nextHop());
        assertTrue(out.attributes().get(PathAttribute.Med.class).isEmpty(), "RFC 4271 5.1.4");
        assertTrue(out.attributes().get(PathAttribute.LocalPref.class).isEmpty());
    }

    @Test
    void localRoutesCarryOurAsnAndLocalPrefInternally() throws Exception {
        List<PathAttribute> mine = List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.EMPTY, new PathAttribute.Med(10));
        ExportAttributes.Out toRs = ExportAttributes.of(route(mine, new byte[0]), true, RS);
        assertEquals(AsPath.sequence(64500), toRs.attributes().get(AsPath.class).orElseThrow());
        assertArrayEquals(SELF, toRs.nextHop());
        assertEquals(10, toRs.attributes().get(PathAttribute.Med.class).orElseThrow().value());
        ExportAttributes.Out toIbgp = ExportAttributes.of(route(mine, new byte[0]), true, IBGP);
        assertEquals(AsPath.EMPTY, toIbgp.attributes().get(AsPath.class).orElseThrow());
        assertEquals(100, toIbgp.attributes().get(PathAttribute.LocalPref.class).orElseThrow().value());
        // no IPv6 address on an IPv4 session: an IPv6 local route cannot go
        Route v6 = new Route(Prefix.parse("2001:db8::/48"), route(mine, new byte[0]).peer(), -1,
                RouteAttributes.of(new Attributes(mine), new byte[0]), false, null, false, 0);
        assertNull(ExportAttributes.of(v6, true, RS));
    }

    @Test
    void packingFillsMessagesUpToTheMaximumAndKeepsEveryNlri() throws Exception {
        ExportAttributes.Out out = ExportAttributes.of(route(received(), new byte[] {(byte) 198, 18, 0, 11}), false, RS);
        ExportAttributes.Out v6out = new ExportAttributes.Out(out.attributes(), Prefix.parse("2001:db8::1/128").addressBytes());
        List<UpdatePacker.Announce> announce = new ArrayList<>();
        List<Nlri> withdraw = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            announce.add(new UpdatePacker.Announce(new Nlri(Prefix.ipv4(0x0A000000 | i << 8, 24)), out));
            announce.add(new UpdatePacker.Announce(new Nlri(Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48")), v6out));
            withdraw.add(new Nlri(Prefix.ipv4(0x0B000000 | i << 8, 24)));
            withdraw.add(new Nlri(Prefix.parse("2001:db9:" + Integer.toHexString(i) + "::/48")));
        }
        for (SessionCodecContext ctx : List.of(SessionCodecContext.FOUR_OCTET,
                new SessionCodecContext(true, Set.of(), Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), false))) {
            List<UpdateMessage> msgs = UpdatePacker.pack(announce, withdraw, ctx);
            int nlri = 0;
            int withdrawn = 0;
            for (UpdateMessage m : msgs) {
                ByteBuf b = BgpMessageCodec.encode(m, ctx, ByteBufAllocator.DEFAULT); // throws when too long
                assertTrue(b.readableBytes() <= 4096);
                b.release();
                nlri += m.announced().size();
                withdrawn += m.withdrawnAll().size();
            }
            assertEquals(6000, nlri);
            assertEquals(6000, withdrawn);
            assertTrue(msgs.size() < 40, "packed: " + msgs.size() + " UPDATEs");
        }
    }

    /** What a series of encoded UPDATEs says: per NLRI its attributes and next hop, or withdrawn. */
    private static java.util.Map<Nlri, String> decodeAll(ByteBuf buf, SessionCodecContext ctx, int[] messages) {
        java.util.Map<Nlri, String> state = new java.util.LinkedHashMap<>();
        while (buf.isReadable()) {
            int length = buf.getUnsignedShort(buf.readerIndex() + 16);
            assertTrue(length <= ctx.maxMessageLength(), "UPDATE of " + length + " bytes");
            ByteBuf one = buf.readSlice(length);
            UpdateMessage m = (UpdateMessage) ((dev.ixora.codec.DecodeResult.Decoded) BgpMessageCodec.decode(one, ctx)).message();
            messages[0]++;
            for (UpdateMessage.Withdrawn w : m.withdrawnAll()) state.put(w.nlri(), "withdrawn");
            for (UpdateMessage.Announced a : m.announced()) {
                state.put(a.nlri(), m.pathAttributes() + " via " + java.util.Arrays.toString(a.nextHop()));
            }
        }
        return state;
    }

    @Test
    void theDirectIpv4WriterSaysWhatThePackerAndCodecSay() throws Exception {
        ExportAttributes.Out out = ExportAttributes.of(route(received(), new byte[] {(byte) 198, 18, 0, 11}), false, RS);
        List<PathAttribute> other = new ArrayList<>(received());
        other.set(1, AsPath.sequence(64511, 70000, 64999)); // a 4-octet ASN: AS4_PATH on 2-octet sessions
        ExportAttributes.Out out2 = ExportAttributes.of(route(other, new byte[] {(byte) 198, 18, 0, 12}), false, RS);
        ExportAttributes.Out out3 = new ExportAttributes.Out(out.attributes(), new byte[] {(byte) 198, 18, 0, 13});
        java.util.Random rnd = new java.util.Random(7);
        for (SessionCodecContext ctx : List.of(SessionCodecContext.FOUR_OCTET, SessionCodecContext.INITIAL,
                new SessionCodecContext(true, Set.of(), Set.of(), true))) {
            for (int run = 0; run < 8; run++) {
                int n = new int[] {1, 5, 300, 4000}[run & 3];
                boolean oneOut = run >= 4; // every announcement with the same Out object: the writer's fast path
                Prefix[] prefixes = new Prefix[n];
                ExportAttributes.Out[] outs = new ExportAttributes.Out[n];
                List<UpdatePacker.Announce> announce = new ArrayList<>();
                List<Nlri> withdraw = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int len = 8 + rnd.nextInt(25); // every NLRI width, /8 to /32
                    prefixes[i] = Prefix.ipv4((0x0A000000 + i * 4096) & (int) (0xFFFFFFFFL << (32 - len)), len);
                    int pick = rnd.nextInt(4);
                    outs[i] = pick == 0 ? null : oneOut || pick == 1 ? out : pick == 2 ? out2 : out3;
                    if (outs[i] == null) withdraw.add(new Nlri(prefixes[i]));
                    else announce.add(new UpdatePacker.Announce(new Nlri(prefixes[i]), outs[i]));
                }
                ByteBuf direct = ByteBufAllocator.DEFAULT.buffer();
                ByteBuf packed = ByteBufAllocator.DEFAULT.buffer();
                UpdatePacker.V4Batch batch = new UpdatePacker.V4Batch();
                for (int i = 0; i < n; i++) batch.add(prefixes[i], outs[i]);
                int written = UpdatePacker.writeV4(batch, ctx, direct, o -> UpdatePacker.attributeBytes(o, ctx));
                List<UpdateMessage> msgs = UpdatePacker.pack(announce, withdraw, ctx);
                for (UpdateMessage m : msgs) BgpMessageCodec.encode(m, ctx, packed);
                int[] a = {0};
                int[] b = {0};
                assertEquals(decodeAll(packed, ctx, b), decodeAll(direct, ctx, a), n + " prefixes, " + ctx);
                assertEquals(written, a[0]);
                assertTrue(a[0] <= b[0], "as few UPDATEs as the packer: " + a[0] + " vs " + b[0]);
                if (n <= 5) {
                    packed.readerIndex(0);
                    direct.readerIndex(0);
                    assertTrue(io.netty.buffer.ByteBufUtil.equals(packed, direct), "byte for byte when nothing splits");
                }
                direct.release();
                packed.release();
            }
        }
    }
}
