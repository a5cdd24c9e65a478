package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every UPDATE of real route-collector data decodes without a session reset and re-encodes to the
 * original bytes, compared after {@link WireNormaliser} (attribute order and the Extended Length
 * flag are sender choices the codec does not keep; the Partial flag must survive).
 */
class MrtUpdateCorpusTest {

    static SessionCodecContext contextFor(MrtReader.Record r) {
        Set<AfiSafi> addPath = r.addPath()
                ? Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.of(1, 2), AfiSafi.of(2, 2)) : Set.of();
        return new SessionCodecContext(r.as4(), addPath, addPath, false);
    }

    /**
     * Encodes into a wrapped heap array: the build runs Netty's paranoid leak detector, which records a
     * stack trace on every access of allocator-made buffers and would make 100,000 messages take minutes.
     * Leak-checked encoding is covered by the unit tests through {@link UpdateTestSupport}.
     */
    static byte[] encodeFast(UpdateMessage msg, SessionCodecContext ctx) {
        ByteBuf out = Unpooled.wrappedBuffer(new byte[UpdateCodec.bodyLength(msg, ctx)]).clear();
        UpdateCodec.encodeBody(msg, ctx, out);
        assertEquals(out.capacity(), out.writerIndex(), "bodyLength agrees with encodeBody");
        byte[] b = out.array();
        assertTrue(out.release());
        return b;
    }

    @ParameterizedTest
    @CsvSource({"updates.20160811.1600.gz, 17216", "updates.20070211.0141.gz, 23394", "updates.20071015.1505.gz, 4222",
            "updates.long_withdrawal.gz, 1", "updates.20260222.1530.bz2, 49220"})
    void everyUpdateDecodesAndReencodes(String file, int expectedUpdates) throws IOException {
        List<MrtReader.Record> records = MrtReader.read(MrtReader.dataDir().resolve(file));
        int updates = 0;
        int identical = 0;
        Map<String, Integer> warnings = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> differences = new TreeMap<>();
        for (MrtReader.Record r : records) {
            if (r.messageType() != BgpMessage.UPDATE) continue;
            updates++;
            SessionCodecContext ctx = contextFor(r);
            byte[] body = r.body();
            ByteBuf in = Unpooled.wrappedBuffer(body);
            DecodeResult res = UpdateCodec.decodeBody(in, ctx);
            in.release();
            assertEquals(0, in.refCnt());
            if (res instanceof DecodeResult.Failed f) {
                fail(file + " update #" + updates + " from " + r.peer() + " failed: " + f.error() + "\n"
                        + UpdateTestSupport.hex(body));
            }
            DecodeResult.Decoded d = (DecodeResult.Decoded) res;
            UpdateMessage msg = (UpdateMessage) d.message();
            if (!d.warnings().isEmpty()) {
                for (BgpError w : d.warnings()) warnings.merge(w.action() + " " + w.code() + "/" + w.subcode() + " " + w.reason(), 1, Integer::sum);
                continue;
            }
            byte[] again = encodeFast(msg, ctx);
            if (java.util.Arrays.equals(body, again)) {
                identical++;
            } else {
                String why = (WireNormaliser.normalise(body, 0x10, false).equals(WireNormaliser.normalise(again, 0x10, false))
                        ? "extended-length flag" : WireNormaliser.normalise(body, 0, true).equals(WireNormaliser.normalise(again, 0, true))
                        ? "attribute order" : WireNormaliser.normalise(body, 0x10, true).equals(WireNormaliser.normalise(again, 0x10, true))
                        ? "order+extended-length" : "other");
                differences.merge(why, 1, Integer::sum);
            }
            if (!java.util.Arrays.equals(body, again) && !WireNormaliser.normalise(body, 0x10, true).equals(WireNormaliser.normalise(again, 0x10, true))) {
                if (mismatches.size() < 5) {
                    mismatches.add(msg + "\n  in  " + UpdateTestSupport.hex(body) + "\n  out " + UpdateTestSupport.hex(again));
                }
            }
        }
        System.out.println(file + ": " + updates + " updates, " + identical + " byte-identical, differences " + differences + ", warnings " + warnings);
        assertEquals(expectedUpdates, updates, "UPDATEs read from " + file);
        assertEquals(List.of(), mismatches);
    }

    /**
     * The one exception, bgpdump's trailing-bits sample: its NLRI field is 0d 0b 0d 0b, i.e.
     * 11.13.0.0/13 (host bits set: masked to 11.8.0.0/13, as bgpdump prints it) followed by a /11
     * whose address bytes are missing. An NLRI field that cannot be parsed cannot be treated as
     * withdrawn (RFC 7606 sections 3 j and 5.3): session reset with Invalid Network Field. bgpdump
     * silently drops the truncated tail.
     */
    @Test
    void trailingBitsSampleMasksHostBitsAndResetsOnTheTruncatedTail() throws IOException {
        List<MrtReader.Record> records = MrtReader.read(MrtReader.dataDir().resolve("updates.nlri_mask_trailing_bits.gz"));
        assertEquals(1, records.size());
        MrtReader.Record r = records.get(0);
        byte[] body = r.body();
        DecodeResult.Failed failed = (DecodeResult.Failed) UpdateTestSupport.decode(body, contextFor(r));
        assertEquals(ErrorAction.SESSION_RESET, failed.error().action());
        assertEquals(UpdateErrors.INVALID_NETWORK_FIELD, failed.error().subcode());

        byte[] withoutTail = java.util.Arrays.copyOf(body, body.length - 1);
        UpdateMessage m = UpdateTestSupport.decodeOk(withoutTail, contextFor(r));
        assertEquals(List.of(Nlri.parse("11.8.0.0/13")), m.nlri());
        assertEquals("7018 3549 12389 48275 51044", m.attribute(AsPath.class).orElseThrow().toString());
    }

    /** The same messages through the whole-message codec the session uses (header and dispatch included). */
    @Test
    void wholeMessagesThroughBgpMessageCodec() throws IOException {
        int checked = 0;
        for (MrtReader.Record r : MrtReader.read(MrtReader.dataDir().resolve("updates.20070211.0141.gz"))) {
            if (r.messageType() != BgpMessage.UPDATE) continue;
            SessionCodecContext ctx = contextFor(r);
            ByteBuf in = Unpooled.wrappedBuffer(r.message());
            DecodeResult whole = BgpMessageCodec.decode(in, ctx);
            assertTrue(in.release());
            ByteBuf body = Unpooled.wrappedBuffer(r.body());
            DecodeResult viaBody = UpdateCodec.decodeBody(body, ctx);
            assertTrue(body.release());
            assertEquals(viaBody, whole);
            UpdateMessage m = (UpdateMessage) ((DecodeResult.Decoded) whole).message();
            ByteBuf out = Unpooled.wrappedBuffer(new byte[4096]).clear();
            BgpMessageCodec.encode(m, ctx, out);
            byte[] again = java.util.Arrays.copyOf(out.array(), out.writerIndex());
            assertTrue(out.release());
            assertEquals(WireNormaliser.normalise(r.body(), 0x10, true),
                    WireNormaliser.normalise(java.util.Arrays.copyOfRange(again, 19, again.length), 0x10, true));
            checked++;
        }
        assertEquals(23394, checked);
    }

    /**
     * Mutation fuzzing from real messages: flip, insert or cut bytes of 2007 and 2016 UPDATEs. The
     * decoder never throws and never needs its IndexOutOfBounds safety net; whatever it returns as a
     * message can be encoded again and decodes to itself.
     */
    @Test
    void mutatedRealUpdatesAreHandledByChecksNotBySafetyNet() throws IOException {
        java.util.Random rnd = new java.util.Random(20070211);
        List<MrtReader.Record> seeds = new ArrayList<>();
        for (String f : new String[] {"updates.20070211.0141.gz", "updates.20160811.1600.gz"}) {
            for (MrtReader.Record r : MrtReader.read(MrtReader.dataDir().resolve(f))) {
                if (r.messageType() == BgpMessage.UPDATE && rnd.nextInt(20) == 0) seeds.add(r);
            }
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 30000; i++) {
            MrtReader.Record r = seeds.get(rnd.nextInt(seeds.size()));
            byte[] b = mutate(r.body(), rnd);
            SessionCodecContext ctx = contextFor(r);
            DecodeResult res = UpdateCodec.decodeBody(Unpooled.wrappedBuffer(b), ctx);
            if (res instanceof DecodeResult.Failed f) {
                assertTrue(!f.error().reason().startsWith("UPDATE not decodable"), () -> f.error() + " for " + UpdateTestSupport.hex(b));
                outcomes.merge(f.error().action().toString(), 1, Integer::sum);
                continue;
            }
            DecodeResult.Decoded d = (DecodeResult.Decoded) res;
            outcomes.merge(d.warnings().isEmpty() ? "OK" : d.warnings().stream()
                    .map(BgpError::action).reduce(ErrorAction.ATTRIBUTE_DISCARD, ErrorAction::max).toString(), 1, Integer::sum);
            UpdateMessage m = (UpdateMessage) d.message();
            UpdateMessage again = (UpdateMessage) ((DecodeResult.Decoded) UpdateCodec.decodeBody(
                    Unpooled.wrappedBuffer(encodeFast(m, ctx)), ctx)).message();
            assertEquals(m, again, () -> "re-encoding changed the message for " + UpdateTestSupport.hex(b));
        }
        System.out.println("mutated UPDATEs: " + outcomes);
        assertTrue(outcomes.size() >= 4, "mutations reach several outcomes: " + outcomes);
    }

    private static byte[] mutate(byte[] in, java.util.Random rnd) {
        byte[] b = in.clone();
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n && b.length > 0; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(4)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }
}
