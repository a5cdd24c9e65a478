package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our decoding of real MRT files, printed as bgpdump -m prints it (type, peer, peer AS, prefix,
 * AS path, origin, next hop, LOCAL_PREF, MED, communities, atomic aggregate, aggregator), equals
 * bgpdump's own output line by line: the stored expected/NAME.bgp.gz, or bgpdump run now.
 */
class BgpdumpCrossCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"updates.20160811.1600.gz", "updates.20070211.0141.gz", "updates.20071015.1505.gz"})
    void prefixesAndPathsMatchBgpdump(String file) throws IOException {
        Path dir = MrtReader.dataDir();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                MrtReader.open(dir.resolve("expected").resolve(file + ".bgp.gz")), StandardCharsets.UTF_8))) {
            compare(dir.resolve(file), in);
        }
    }

    /** No stored reference for the 2026 file: run bgpdump (Debian package bgpdump; CI installs it) on it. */
    @Test
    void bgp4mpEtFileMatchesBgpdumpRunNow() throws IOException, InterruptedException {
        Path file = MrtReader.dataDir().resolve("updates.20260222.1530.bz2");
        Process p;
        try {
            p = new ProcessBuilder("bgpdump", "-m", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("bgpdump is required for this test (apt-get install bgpdump)", e);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            compare(file, in);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** bgpdump's spelling: ASN:value, with RFC 1997 well-known names. */
    private static String communities(PathAttribute.Communities c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            int v = c.get(i);
            if (i > 0) sb.append(' ');
            sb.append(switch (v) {
                case 0xFFFFFF01 -> "no-export";
                case 0xFFFFFF02 -> "no-advertise";
                case 0xFFFFFF03 -> "no-export-subconfed";
                default -> (v >>> 16) + ":" + (v & 0xFFFF);
            });
        }
        return sb.toString();
    }

    private static void compare(Path mrt, BufferedReader expected) throws IOException {
        String file = mrt.getFileName().toString();
        List<String> ours = new ArrayList<>();
        for (MrtReader.Record r : MrtReader.read(mrt)) {
            if (r.messageType() != BgpMessage.UPDATE) continue;
            var buf = Unpooled.wrappedBuffer(r.body());
            DecodeResult res = UpdateCodec.decodeBody(buf, MrtUpdateCorpusTest.contextFor(r));
            buf.release();
            UpdateMessage m = (UpdateMessage) ((DecodeResult.Decoded) res).message();
            String who = r.peer() + "|" + r.peerAs();
            for (UpdateMessage.Withdrawn w : m.withdrawnAll()) ours.add("W|" + who + "|" + w.nlri().prefix());
            String path = m.attribute(AsPath.class).map(AsPath::toString).orElse("");
            String origin = m.attribute(PathAttribute.Origin.class).map(Object::toString).orElse("");
            String rest = "|" + m.attribute(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(0L)
                    + "|" + m.attribute(PathAttribute.Med.class).map(PathAttribute.Med::value).orElse(0L)
                    + "|" + m.attribute(PathAttribute.Communities.class).map(BgpdumpCrossCheckTest::communities).orElse("")
                    + "|" + (m.attribute(PathAttribute.AtomicAggregate.class).isPresent() ? "AG" : "NAG")
                    + "|" + m.attribute(PathAttribute.Aggregator.class)
                            .map(g -> g.asn() + " " + IpText.formatV4(g.address())).orElse("");
            for (UpdateMessage.Announced a : m.announced()) {
                byte[] nh = a.nextHop();
                String hop = IpText.format(nh.length == 32 ? java.util.Arrays.copyOf(nh, 16) : nh);
                ours.add("A|" + who + "|" + a.nlri().prefix() + "|" + path + "|" + origin + "|" + hop + rest);
            }
        }
        List<String> theirs = new ArrayList<>();
        for (String line; (line = expected.readLine()) != null; ) {
            String[] f = line.split("\\|", -1);
            if (f[2].equals("W")) theirs.add("W|" + f[3] + "|" + f[4] + "|" + f[5]);
            if (f[2].equals("A")) theirs.add(String.join("|", java.util.Arrays.copyOfRange(f, 2, 14)));
        }
        assertTrue(theirs.size() > 1000, "expected output too small: " + theirs.size());
        int n = Math.min(ours.size(), theirs.size());
        for (int i = 0; i < n; i++) {
            assertEquals(theirs.get(i), ours.get(i), file + " line " + i);
        }
        assertEquals(theirs.size(), ours.size(), file + " number of lines");
    }
}
