package dev.ixora.codec;

import static dev.ixora.codec.Hex.MARKER;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BgpFrameDecoderTest {
    static final String KEEPALIVE = MARKER + "0013 04";
    static final String NOTIFICATION = MARKER + "001b 03 06 02 05 6d61696e74";
    static final String ROUTE_REFRESH = MARKER + "0017 05 0001 00 01";

    private final List<ByteBuf> written = new ArrayList<>();
    private final List<ByteBuf> frames = new ArrayList<>();
    private final BgpFrameDecoder decoder = new BgpFrameDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void write(String hex) {
        ByteBuf buf = Hex.buf(hex);
        written.add(buf);
        channel.writeInbound(buf);
    }

    private void write(byte[] bytes, int from, int to) {
        ByteBuf buf = Unpooled.copiedBuffer(bytes, from, to - from);
        written.add(buf);
        channel.writeInbound(buf);
    }

    /** Reads the next frame, checks its bytes, releases it and proves it is gone. */
    private void assertNextFrame(String hex) {
        Object o = channel.readInbound();
        assertInstanceOf(ByteBuf.class, o);
        ByteBuf frame = (ByteBuf) o;
        frames.add(frame);
        try {
            assertEquals(Hex.hex(Hex.bytes(hex)), Hex.hex(frame));
        } finally {
            frame.release();
        }
    }

    private BgpError nextError() {
        Object o = channel.readInbound();
        assertInstanceOf(DecodeResult.Failed.class, o);
        return ((DecodeResult.Failed) o).error();
    }

    @AfterEach
    void everyBufferReleased() {
        channel.finishAndReleaseAll();
        // Frames are slices sharing the cumulation's count: it reaches 0 only when all are released.
        for (ByteBuf b : frames) assertEquals(0, b.refCnt(), "frame still referenced");
        for (ByteBuf b : written) assertEquals(0, b.refCnt(), "input buffer still referenced");
    }

    @Test
    void messageSplitAcrossReads() {
        byte[] open = Hex.bytes(OpenCodecTest.OPEN_HEX);
        write(open, 0, 10);   // inside the marker
        assertNull(channel.readInbound());
        write(open, 10, 18);  // header incomplete (length known, type not)
        assertNull(channel.readInbound());
        write(open, 18, 50);  // header complete, body not
        assertNull(channel.readInbound());
        write(open, 50, open.length);
        assertNextFrame(OpenCodecTest.OPEN_HEX);
        assertNull(channel.readInbound());
    }

    @Test
    void severalMessagesInOneRead() {
        write(KEEPALIVE + NOTIFICATION + ROUTE_REFRESH + KEEPALIVE.substring(0, 20));
        assertNextFrame(KEEPALIVE);
        assertNextFrame(NOTIFICATION);
        assertNextFrame(ROUTE_REFRESH);
        assertNull(channel.readInbound());
        write(KEEPALIVE.substring(20));
        assertNextFrame(KEEPALIVE);
    }

    @Test
    void framesDecodeWithTheMessageCodec() {
        write(OpenCodecTest.OPEN_HEX + KEEPALIVE);
        ByteBuf frame = channel.readInbound();
        frames.add(frame);
        try {
            assertEquals(OpenCodecTest.OPEN, Hex.decoded(BgpMessageCodec.decode(frame, SessionCodecContext.INITIAL)));
        } finally {
            frame.release();
        }
        assertNextFrame(KEEPALIVE);
    }

    @Test
    void badMarkerEmitsFailedAndDiscardsTheRest() {
        write(KEEPALIVE + "fffffffffffffffffffffffffffffffe 0013 04" + KEEPALIVE);
        assertNextFrame(KEEPALIVE);
        BgpError e = nextError();
        assertEquals(List.of(1, 1, ""), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
        assertNull(channel.readInbound());
        write(KEEPALIVE + KEEPALIVE);
        assertNull(channel.readInbound());
        assertTrue(decoder.failed());
    }

    @Test
    void badLengthEmitsFailedWithTheLength() {
        write(MARKER + "0012 04");
        BgpError e = nextError();
        assertEquals(List.of(1, 2, "0012"), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
        assertEquals(ErrorAction.SESSION_RESET, e.action());
        write(KEEPALIVE);
        assertNull(channel.readInbound());
    }

    @Test
    void tooLongIsRejectedBeforeTheBodyArrives() {
        // RFC 4271 section 6.1: detected from the header alone, no need to buffer 5000 bytes.
        write(MARKER + "1388 02");
        BgpError e = nextError();
        assertEquals(List.of(1, 2, "1388"), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
    }

    @Test
    void badTypeAndKeepaliveLength() {
        write(MARKER + "0013 09");
        BgpError e = nextError();
        assertEquals(List.of(1, 3, "09"), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
    }

    @Test
    void keepaliveOfWrongLength() {
        write(MARKER + "0014 04 00");
        BgpError e = nextError();
        assertEquals(List.of(1, 2, "0014"), List.of(e.code(), e.subcode(), Hex.hex(e.data())));
    }

    @Test
    void extendedMessagesRaiseTheLimit() {
        String big = MARKER + "1388 03 06 00" + "00".repeat(5000 - 21);
        decoder.setContext(new SessionCodecContext(true, java.util.Set.of(), java.util.Set.of(), true));
        assertEquals(65535, decoder.maxLength());
        write(big);
        assertNextFrame(big);
        decoder.setMaxLength(4096);
        write(big);
        assertEquals(2, nextError().subcode());
        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxLength(18));
        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxLength(65536));
    }

    @Test
    void partialMessageAtCloseIsReleased() {
        write(KEEPALIVE + KEEPALIVE.substring(0, 30));
        assertNextFrame(KEEPALIVE);
        assertFalse(channel.finish());
    }

    // ---- decodeUpdates: UPDATEs decoded in the framer, everything else framed as before ----

    static final String UPDATE = MARKER + "0033 02 0000 0014 400101 00 400206 0201 0000fde8 400304 c0000201 18 cb0071 18 cb0072";

    private EmbeddedChannel decoding(AttributeCache cache) {
        BgpFrameDecoder d = new BgpFrameDecoder();
        d.setContext(SessionCodecContext.FOUR_OCTET);
        d.decodeUpdates(cache);
        return new EmbeddedChannel(d);
    }

    private static String describe(Object o) {
        return AttributeCacheTest.describe((DecodeResult) o);
    }

    @Test
    void decodeUpdatesEmitsWhatTheMessageCodecWouldAndFramesTheRest() {
        AttributeCache cache = new AttributeCache();
        EmbeddedChannel ch = decoding(cache);
        String expected = describe(BgpMessageCodec.decode(Hex.buf(UPDATE), SessionCodecContext.FOUR_OCTET));
        byte[] update = Hex.bytes(UPDATE);
        ByteBuf first = Unpooled.copiedBuffer(update, 0, 30); // the body not complete: nothing yet
        ch.writeInbound(first);
        assertNull(ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(Unpooled.copiedBuffer(update, 30, update.length - 30), Hex.buf(KEEPALIVE + UPDATE)));
        assertEquals(expected, describe(ch.readInbound()));
        ByteBuf ka = ch.readInbound();
        assertEquals(Hex.hex(Hex.bytes(KEEPALIVE)), Hex.hex(ka));
        ka.release();
        assertEquals(expected, describe(ch.readInbound()));
        assertNull(ch.readInbound());
        assertEquals(1, cache.hits());
        assertFalse(ch.finishAndReleaseAll());
        assertEquals(0, first.refCnt());
    }

    @Test
    void decodeUpdatesKeepsTheHeaderErrors() {
        String[] bad = {
                "fffffffffffffffffffffffffffffffe" + UPDATE.substring(32), // marker, whole message present
                "fffffffffffffffffffffffffffffffe 0100 02 0000", // marker, message not complete: at once
                MARKER + "0016 02 0000 0000", // below the UPDATE minimum
                MARKER + "1388 02 0000", // longer than 4096
        };
        for (String b : bad) {
            EmbeddedChannel plain = new EmbeddedChannel(new BgpFrameDecoder(SessionCodecContext.FOUR_OCTET));
            plain.writeInbound(Hex.buf(b + KEEPALIVE));
            EmbeddedChannel ch = decoding(new AttributeCache());
            ch.writeInbound(Hex.buf(b + KEEPALIVE));
            assertEquals(describe(plain.readInbound()), describe(ch.readInbound()), b);
            assertNull(ch.readInbound(), "after a header error everything is discarded");
            ch.writeInbound(Hex.buf(UPDATE));
            assertNull(ch.readInbound());
            plain.finishAndReleaseAll();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void decodeUpdatesUsesTheLatestContext() {
        BgpFrameDecoder d = new BgpFrameDecoder();
        d.decodeUpdates(new AttributeCache());
        EmbeddedChannel ch = new EmbeddedChannel(d);
        ch.writeInbound(Hex.buf(UPDATE)); // INITIAL: 2-octet AS_PATH, "0201 0000fde8" does not parse
        assertEquals(describe(BgpMessageCodec.decode(Hex.buf(UPDATE), SessionCodecContext.INITIAL)), describe(ch.readInbound()));
        d.setContext(SessionCodecContext.FOUR_OCTET);
        ch.writeInbound(Hex.buf(UPDATE));
        DecodeResult.Decoded r = assertInstanceOf(DecodeResult.Decoded.class, ch.readInbound());
        assertEquals(List.of(), r.warnings());
        ch.finishAndReleaseAll();
    }
}
