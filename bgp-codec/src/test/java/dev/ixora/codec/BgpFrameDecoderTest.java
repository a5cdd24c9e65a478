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
    /** UPDATE number {@code i}: its own two NLRI, the attributes of {@link #UPDATE}. */
    static String update(int i) {
        return MARKER + "0033 02 0000 0014 400101 00 400206 0201 0000fde8 400304 c0000201 18 0a"
                + String.format("%02x%02x", i >> 8, i & 0xFF).substring(0, 4) + " 18 ac10" + String.format("%02x", i & 0xFF);
    }

    /**
     * Consecutive UPDATEs are copied and decoded together: a run of them longer than one scratch
     * copy, split at awkward places and with other messages and a bad header in it, comes out as
     * the message codec decodes each message, one result per message, in order.
     */
    @Test
    void runsOfUpdatesComeOutOneResultPerMessageInOrder() {
        runsOfUpdates(false);
    }

    /** The same with {@code runs}: the UPDATEs of one copy come as one DecodedRun, flattened the same sequence. */
    @Test
    void runsOfUpdatesAsDecodedRunsHoldTheSameResultsInOrder() {
        runsOfUpdates(true);
    }

    private void runsOfUpdates(boolean runs) {
        StringBuilder stream = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            stream.append(update(i));
            expected.add(describe(BgpMessageCodec.decode(Hex.buf(update(i)), SessionCodecContext.FOUR_OCTET)));
            if (i == 120) {
                stream.append(KEEPALIVE);
                expected.add("frame " + Hex.hex(Hex.bytes(KEEPALIVE)));
            }
        }
        String bad = MARKER + "0016 02 0000 0000"; // below the UPDATE minimum: a header error, then nothing
        stream.append(bad).append(update(1));
        EmbeddedChannel plain = new EmbeddedChannel(new BgpFrameDecoder(SessionCodecContext.FOUR_OCTET));
        plain.writeInbound(Hex.buf(bad));
        expected.add(describe(plain.readInbound()));
        plain.finishAndReleaseAll();

        byte[] all = Hex.bytes(stream.toString());
        assertTrue(all.length > 3 * AttributeCache.MAX_SCRATCH);
        AttributeCache cache = new AttributeCache();
        BgpFrameDecoder d = new BgpFrameDecoder();
        d.setContext(SessionCodecContext.FOUR_OCTET);
        d.decodeUpdates(cache, runs);
        EmbeddedChannel ch = new EmbeddedChannel(d);
        List<ByteBuf> in = new ArrayList<>();
        int[] cuts = {0, 7, 60, 5000, 5001, 9000, all.length};
        for (int k = 1; k < cuts.length; k++) {
            ByteBuf b = Unpooled.copiedBuffer(all, cuts[k - 1], cuts[k] - cuts[k - 1]);
            in.add(b);
            ch.writeInbound(b);
        }
        List<String> got = new ArrayList<>();
        int messages = 0;
        int decodedRuns = 0;
        for (Object o; (o = ch.readInbound()) != null; messages++) {
            if (o instanceof ByteBuf f) {
                got.add("frame " + Hex.hex(f));
                f.release();
            } else if (o instanceof DecodedRun r) {
                decodedRuns++;
                assertTrue(r.size() >= 2, r.toString());
                for (int i = 0; i < r.size(); i++) got.add(describe(r.get(i)));
            } else {
                got.add(describe(o));
            }
        }
        assertEquals(expected, got);
        if (runs) {
            assertTrue(decodedRuns >= 3 && messages < 20, decodedRuns + " runs in " + messages + " messages");
        } else {
            assertEquals(expected.size(), messages, "one message per result");
        }
        assertEquals(249, cache.hits(), "one attribute set, decoded once");
        assertFalse(ch.finishAndReleaseAll());
        for (ByteBuf b : in) assertEquals(0, b.refCnt());
    }

    /** An UPDATE within the frame limit but over the session's: the error the message codec gives, and decoding goes on. */
    @Test
    void anUpdateOverTheSessionLimitInARunIsWhatTheMessageCodecSays() {
        BgpFrameDecoder d = new BgpFrameDecoder();
        d.setContext(SessionCodecContext.FOUR_OCTET);
        d.decodeUpdates(new AttributeCache());
        d.setMaxLength(SessionCodecContext.MAX_EXTENDED_MESSAGE); // the framer allows more than the context
        EmbeddedChannel ch = new EmbeddedChannel(d);
        StringBuilder big = new StringBuilder(MARKER + "1388 02 0000 1371 c0 63 ff");
        big.append("00".repeat(0x1388 - 19 - 4 - 3));
        ByteBuf bigBuf = Hex.buf(big.toString());
        String expectedBig = describe(BgpMessageCodec.decode(bigBuf, SessionCodecContext.FOUR_OCTET));
        bigBuf.release();
        ch.writeInbound(Hex.buf(update(1) + big + update(2)));
        assertEquals(describe(BgpMessageCodec.decode(Hex.buf(update(1)), SessionCodecContext.FOUR_OCTET)), describe(ch.readInbound()));
        assertEquals(expectedBig, describe(ch.readInbound()));
        assertTrue(expectedBig.contains("Failed"), expectedBig);
        assertEquals(describe(BgpMessageCodec.decode(Hex.buf(update(2)), SessionCodecContext.FOUR_OCTET)), describe(ch.readInbound()));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }
}
