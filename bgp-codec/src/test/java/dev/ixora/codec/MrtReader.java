package dev.ixora.codec;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Test-side MRT reader (RFC 6396 section 4.4 BGP4MP, 4.4 BGP4MP_ET): yields the raw BGP messages
 * of MESSAGE-type records and skips everything else (state changes, table dumps).
 */
final class MrtReader {
    private MrtReader() {}

    static final int BGP4MP = 16;
    static final int BGP4MP_ET = 17;

    /** One BGP message from the collector: who sent it and the full message (header included). */
    record Record(long timestamp, int subtype, boolean as4, boolean addPath, byte[] peerIp, long peerAs, byte[] message) {
        int messageType() {
            return message[18] & 0xFF;
        }

        byte[] body() {
            return java.util.Arrays.copyOfRange(message, 19, message.length);
        }

        String peer() {
            return IpText.format(peerIp);
        }
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.toString().endsWith(".gz")) return new GZIPInputStream(raw, 1 << 16);
        if (file.toString().endsWith(".bz2")) {
            raw.close();
            Process p = new ProcessBuilder("bzcat", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new BufferedInputStream(p.getInputStream(), 1 << 16);
        }
        return raw;
    }

    static List<Record> read(Path file) throws IOException {
        List<Record> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(open(file))) {
            while (true) {
                long ts;
                try {
                    ts = Integer.toUnsignedLong(in.readInt());
                } catch (EOFException e) {
                    break;
                }
                int type = in.readUnsignedShort();
                int subtype = in.readUnsignedShort();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                if (type != BGP4MP && type != BGP4MP_ET) continue;
                Record r = parse(ts, subtype, body, type == BGP4MP_ET ? 4 : 0);
                if (r != null) out.add(r);
            }
        }
        return out;
    }

    // RFC 6396 4.4.2 MESSAGE (1), 4.4.3 MESSAGE_AS4 (4), 4.4.6 MESSAGE_LOCAL (6), 4.4.7 MESSAGE_AS4_LOCAL (7);
    // RFC 8050 ADD-PATH variants 8-11
    private static Record parse(long ts, int subtype, byte[] b, int off) {
        boolean as4;
        boolean addPath = subtype >= 8 && subtype <= 11;
        switch (subtype) {
            case 1, 6, 8, 10 -> as4 = false;
            case 4, 7, 9, 11 -> as4 = true;
            default -> {
                return null;
            }
        }
        int p = off;
        long peerAs = as4 ? u32(b, p) : u16(b, p);
        p += as4 ? 8 : 4; // peer AS, local AS
        p += 2; // interface index
        int afi = u16(b, p);
        p += 2;
        int alen = afi == 2 ? 16 : 4;
        byte[] peerIp = java.util.Arrays.copyOfRange(b, p, p + alen);
        p += 2 * alen;
        return new Record(ts, subtype, as4, addPath, peerIp, peerAs, java.util.Arrays.copyOfRange(b, p, b.length));
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p) {
        return ((long) u16(b, p) << 16) | u16(b, p + 2);
    }

    /** ../shared/data/mrt or ../../shared/data/mrt from the module directory; fails loudly when absent. */
    static Path dataDir() {
        for (String c : new String[] {"../shared/data/mrt", "../../shared/data/mrt"}) {
            Path p = Path.of(c).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("MRT test data not found: expected ../shared/data/mrt or ../../shared/data/mrt"
                + " relative to " + Path.of("").toAbsolutePath());
    }
}
