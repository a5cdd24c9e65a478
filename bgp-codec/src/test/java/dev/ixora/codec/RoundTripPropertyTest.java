package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** encode -> decode is the identity for every message this side of the codec produces. */
class RoundTripPropertyTest {

    private static BgpMessage roundTrip(BgpMessage msg, SessionCodecContext ctx) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpMessageCodec.encode(msg, ctx, buf);
            return Hex.decoded(BgpMessageCodec.decode(buf, ctx));
        } finally {
            buf.release();
        }
    }

    @Property(tries = 500)
    void openRoundTrips(@ForAll("opens") OpenMessage open) {
        assertEquals(open, roundTrip(open, SessionCodecContext.INITIAL));
    }

    @Property(tries = 300)
    void notificationRoundTrips(@ForAll("notifications") NotificationMessage n) {
        assertEquals(n, roundTrip(n, SessionCodecContext.INITIAL));
    }

    @Property(tries = 200)
    void routeRefreshRoundTrips(@ForAll("afiSafis") AfiSafi family, @ForAll("bytes0to255") int subtype) {
        RouteRefreshMessage rr = new RouteRefreshMessage(family, subtype);
        assertEquals(rr, roundTrip(rr, SessionCodecContext.INITIAL));
    }

    @Property(tries = 300)
    void shutdownMessageSurvivesCease(@ForAll("texts") String text) {
        NotificationMessage n = NotificationMessage.cease(2, text);
        String back = ((NotificationMessage) roundTrip(n, SessionCodecContext.INITIAL)).shutdownMessage().orElse("");
        assertTrue(text.startsWith(back), "prefix of the original");
        assertTrue(n.dataLength() <= 256);
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255) assertEquals(text, back);
    }

    /** Whatever arrives after a valid marker, decoding returns a value and never throws. */
    @Property(tries = 2000)
    void arbitraryBodiesNeverThrow(@ForAll("types") int type, @ForAll("bodies") byte[] body) {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (int i = 0; i < 16; i++) buf.writeByte(0xFF);
            buf.writeShort(19 + body.length).writeByte(type).writeBytes(body);
            DecodeResult r = BgpMessageCodec.decode(buf, SessionCodecContext.FOUR_OCTET);
            assertNotNull(r);
            if (r instanceof DecodeResult.Failed f) {
                assertTrue(f.error().code() >= 1 && f.error().code() <= 7, f.error().toString());
                // The catch-all in BgpMessageCodec is a safety net, not how our decoders report errors.
                if (type != BgpMessage.UPDATE) assertFalse(f.error().reason().startsWith("undecodable"), f.error().toString());
            }
        } finally {
            buf.release();
        }
    }

    /** However a stream of messages is cut into reads, the same frames come out. */
    @Property(tries = 200)
    void framingIgnoresReadBoundaries(@ForAll("cuts") List<Integer> cuts) {
        String stream = OpenCodecTest.OPEN_HEX + BgpFrameDecoderTest.KEEPALIVE + BgpFrameDecoderTest.NOTIFICATION
                + BgpFrameDecoderTest.ROUTE_REFRESH;
        byte[] bytes = Hex.bytes(stream);
        EmbeddedChannel ch = new EmbeddedChannel(new BgpFrameDecoder());
        int pos = 0;
        for (int cut : cuts.stream().sorted().distinct().toList()) {
            int at = cut % bytes.length;
            if (at <= pos) continue;
            ch.writeInbound(Unpooled.copiedBuffer(bytes, pos, at - pos));
            pos = at;
        }
        ch.writeInbound(Unpooled.copiedBuffer(bytes, pos, bytes.length - pos));
        StringBuilder out = new StringBuilder();
        int frames = 0;
        for (ByteBuf f; (f = ch.readInbound()) != null; frames++) {
            out.append(Hex.hex(f));
            f.release();
        }
        assertFalse(ch.finish());
        assertEquals(4, frames);
        assertEquals(Hex.hex(bytes), out.toString());
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 10_000).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.integers().between(1, 5);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
    }

    @Provide
    Arbitrary<Integer> bytes0to255() {
        return Arbitraries.integers().between(0, 255);
    }

    @Provide
    Arbitrary<String> texts() {
        // Well-formed text only: a lone surrogate has no UTF-8 form at all.
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                .ofMaxLength(300);
    }

    @Provide
    Arbitrary<AfiSafi> afiSafis() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 0xFF))
                .as(AfiSafi::of);
    }

    @Provide
    Arbitrary<NotificationMessage> notifications() {
        return Combinators.combine(bytes0to255(), bytes0to255(), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(NotificationMessage::new);
    }

    Arbitrary<Capability> capabilities() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '.').ofMaxLength(40);
        return Arbitraries.oneOf(
                afiSafis().map(Capability.Multiprotocol::new),
                Arbitraries.just(new Capability.RouteRefresh()),
                Arbitraries.just(new Capability.EnhancedRouteRefresh()),
                Arbitraries.just(new Capability.ExtendedMessage()),
                bytes0to255().map(Capability.Role::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(Capability.FourOctetAs::new),
                Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 4095),
                        Combinators.combine(afiSafis(), Arbitraries.of(true, false))
                                .as(Capability.GracefulRestart.Family::new).list().ofMaxSize(8))
                        .as(Capability.GracefulRestart::new),
                Combinators.combine(afiSafis(), Arbitraries.integers().between(1, 3))
                        .as(Capability.AddPath.Family::new).list().ofMaxSize(8).map(Capability.AddPath::new),
                Combinators.combine(name, name).as(Capability.Fqdn::new),
                // Unknown codes only: a known code with arbitrary bytes is not an Unknown after decoding.
                Combinators.combine(Arbitraries.of(3, 5, 7, 8, 66, 71, 128, 131, 200, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(20)).as(Capability.Unknown::new));
    }

    @Provide
    Arbitrary<OpenMessage> opens() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFFFF).filter(h -> h != 1 && h != 2),
                Arbitraries.longs().between(1, 0xFFFF_FFFFL),
                capabilities().list().ofMaxSize(60))
                .as((as, hold, id, caps) -> new OpenMessage(4, as, hold, id, caps));
    }
}
