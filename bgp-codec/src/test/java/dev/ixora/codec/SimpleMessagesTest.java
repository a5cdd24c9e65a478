package dev.ixora.codec;

import static dev.ixora.codec.Hex.MARKER;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden vectors and malformed cases for KEEPALIVE, NOTIFICATION, ROUTE-REFRESH and the header. */
class SimpleMessagesTest {

    private static void assertGolden(String hex, BgpMessage expected) {
        assertEquals(expected, Hex.decoded(Hex.decode(hex)));
        assertEquals(Hex.hex(Hex.bytes(hex)), Hex.encode(expected));
    }

    private static void assertError(String hex, SessionCodecContext ctx, int code, int subcode, String data) {
        BgpError e = Hex.failed(Hex.decode(hex, ctx));
        assertEquals(List.of(code, subcode, data), List.of(e.code(), e.subcode(), Hex.hex(e.data())), e.toString());
        assertEquals(ErrorAction.SESSION_RESET, e.action());
    }

    private static void assertError(String hex, int code, int subcode, String data) {
        assertError(hex, SessionCodecContext.INITIAL, code, subcode, data);
    }

    @Test
    void keepalive() {
        assertGolden(MARKER + "0013 04", KeepaliveMessage.INSTANCE);
        // RFC 4271 section 4.4 / 6.1: anything but 19 bytes is Bad Message Length with the length.
        assertError(MARKER + "0014 04 00", 1, 2, "0014");
    }

    @Test
    void notificationGoldenVectors() {
        assertGolden(MARKER + "0015 03 04 00", new NotificationMessage(4, 0));
        assertGolden(MARKER + "0017 03 01 02 0014", new NotificationMessage(1, 2, new byte[] {0, 0x14}));
        NotificationMessage shutdown = NotificationMessage.cease(2, "maint");
        assertGolden(MARKER + "001b 03 06 02 05 6d61696e74", shutdown);
        assertEquals("maint", shutdown.shutdownMessage().orElseThrow());
        assertError(MARKER + "0014 03 06", 1, 2, "0014");
    }

    @Test
    void routeRefreshGoldenVectors() {
        assertGolden(MARKER + "0017 05 0001 00 01", RouteRefreshMessage.request(AfiSafi.IPV4_UNICAST));
        assertGolden(MARKER + "0017 05 0002 01 01", new RouteRefreshMessage(AfiSafi.IPV6_UNICAST, RouteRefreshMessage.BEGIN_OF_RIB));
        assertGolden(MARKER + "0017 05 0002 02 01", new RouteRefreshMessage(AfiSafi.IPV6_UNICAST, RouteRefreshMessage.END_OF_RIB));
        RouteRefreshMessage odd = (RouteRefreshMessage) Hex.decoded(Hex.decode(MARKER + "0017 05 0001 07 01"));
        assertFalse(odd.knownSubtype());
    }

    @Test
    void routeRefreshOfWrongLengthIsRouteRefreshErrorWithWholeMessage() {
        // RFC 7313 section 5: code 7 subcode 1, data = the complete ROUTE-REFRESH message.
        String longer = MARKER + "0018 05 0001 01 01 00";
        assertError(longer, 7, 1, Hex.hex(Hex.bytes(longer)));
        String shorter = MARKER + "0016 05 0001 02";
        assertError(shorter, 7, 1, Hex.hex(Hex.bytes(shorter)));
    }

    @Test
    void headerErrors() {
        assertError("fffffffffffffffffffffffffffffffe 0013 04", 1, 1, "");
        assertError("7fffffffffffffffffffffffffffffff 0013 04", 1, 1, "");
        assertError("ffffffffffffffff00ffffffffffffff 0013 04", 1, 1, "");
        assertError(MARKER + "0012 04", 1, 2, "0012");
        assertError(MARKER + "0013 06", 1, 3, "06");
        assertError(MARKER + "0013 00", 1, 3, "00");
        assertError(MARKER + "0016 02 0000 00", 1, 2, "0016"); // UPDATE below 23
        // The Length field disagreeing with the frame handed in.
        assertError(MARKER + "0013 04 00", 1, 2, "0013");
        assertError("ffff", 1, 2, "0002");
    }

    @Test
    void maxLengthFollowsExtendedMessages() {
        String big = MARKER + "1001 03 06 00" + "00".repeat(4097 - 21);
        assertError(big, 1, 2, "1001");
        SessionCodecContext extended = new SessionCodecContext(true, java.util.Set.of(), java.util.Set.of(), true);
        NotificationMessage n = (NotificationMessage) Hex.decoded(Hex.decode(big, extended));
        assertEquals(4097 - 21, n.dataLength());
    }

    @Test
    void encodingOverTheLimitThrowsAndWritesNothing() {
        NotificationMessage tooBig = new NotificationMessage(6, 0, new byte[4096 - 21 + 1]);
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x42);
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> BgpMessageCodec.encode(tooBig, SessionCodecContext.INITIAL, out));
            assertEquals(1, out.writerIndex());
            SessionCodecContext extended = new SessionCodecContext(true, java.util.Set.of(), java.util.Set.of(), true);
            BgpMessageCodec.encode(tooBig, extended, out);
            assertEquals(1 + 4097, out.writerIndex());
            assertEquals(4097, out.getUnsignedShort(1 + 16));
        } finally {
            out.release();
        }
        NotificationMessage fits = new NotificationMessage(6, 0, new byte[4096 - 21]);
        assertEquals(4096 * 2, Hex.encode(fits).length());
    }

    @Test
    void decodeLeavesTheBufferAsItWas() {
        ByteBuf buf = Hex.buf("00" + MARKER + "0013 04");
        buf.readByte();
        assertInstanceOf(DecodeResult.Decoded.class, BgpMessageCodec.decode(buf, SessionCodecContext.INITIAL));
        assertEquals(1, buf.readerIndex());
        assertEquals(1, buf.refCnt());
        buf.release();
    }

    @Test
    void everyMessageTypeDispatches() {
        assertInstanceOf(OpenMessage.class, Hex.decoded(Hex.decode(OpenCodecTest.OPEN_HEX)));
        assertEquals(BgpMessage.UPDATE, Hex.decoded(Hex.decode(MARKER + "0017 02 0000 0000")).type());
    }
}
