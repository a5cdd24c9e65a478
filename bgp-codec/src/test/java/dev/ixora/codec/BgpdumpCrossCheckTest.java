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
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our decoding of real MRT files, printed as bgpdump -m prints it (type, peer, peer AS, prefix,
 * AS path, origin), equals bgpdump's own output kept in expected/NAME.bgp.gz, line by line.
 */
class BgpdumpCrossCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"updates.20160811.1600.gz", "updates.20070211.0141.gz", "updates.20071015.1505.gz"})
    void prefixesAndPathsMatchBgpdump(String file) throws IOException {
        Path dir = MrtReader.dataDir();
        List<String> ours = new ArrayList<>();
        for (MrtReader.Record r : MrtReader.read(dir.resolve(file))) {
            if (r.messageType() != BgpMessage.UPDATE) continue;
            var buf = Unpooled.wrappedBuffer(r.body());
            DecodeResult res = UpdateCodec.decodeBody(buf, MrtUpdateCorpusTest.contextFor(r));
            buf.release();
            UpdateMessage m = (UpdateMessage) ((DecodeResult.Decoded) res).message();
            String who = r.peer() + "|" + r.peerAs();
            for (UpdateMessage.Withdrawn w : m.withdrawnAll()) ours.add("W|" + who + "|" + w.nlri().prefix());
            String path = m.attribute(AsPath.class).map(AsPath::toString).orElse("");
            String origin = m.attribute(PathAttribute.Origin.class).map(Object::toString).orElse("");
            for (UpdateMessage.Announced a : m.announced()) {
                ours.add("A|" + who + "|" + a.nlri().prefix() + "|" + path + "|" + origin);
            }
        }
        List<String> theirs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                MrtReader.open(dir.resolve("expected").resolve(file + ".bgp.gz")), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\\|", -1);
                if (f[2].equals("W")) theirs.add("W|" + f[3] + "|" + f[4] + "|" + f[5]);
                if (f[2].equals("A")) theirs.add("A|" + f[3] + "|" + f[4] + "|" + f[5] + "|" + f[6] + "|" + f[7]);
            }
        }
        assertTrue(theirs.size() > 1000, "expected output too small: " + theirs.size());
        int n = Math.min(ours.size(), theirs.size());
        for (int i = 0; i < n; i++) {
            assertEquals(theirs.get(i), ours.get(i), file + " line " + i);
        }
        assertEquals(theirs.size(), ours.size(), file + " number of lines");
    }
}
