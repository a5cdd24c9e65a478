package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Prefix lists as RFC 4271 section 4.3 encodes them (length in bits, then ceil(length/8) bytes), with RFC 7911 path ids. */
final class NlriCodec {
    private NlriCodec() {}

    private static final Parsed NONE = new Parsed(List.of(), null);

    /** Parsed prefixes (an immutable list), or the reason the field could not be parsed (nlri == null). */
    record Parsed(List<Nlri> nlri, String error) {}

    /** Reads prefixes until {@code buf} is exhausted. Trailing host bits are masked (RFC 4271 section 4.3: their value is irrelevant). */
    static Parsed read(ByteBuf buf, boolean v6, boolean addPath) {
        int n = buf.readableBytes();
        if (n == 0) return NONE;
        byte[] a = new byte[n];
        buf.readBytes(a);
        return read(a, 0, n, v6, addPath);
    }

    /**
     * As {@link #read(ByteBuf, boolean, boolean)}, from {@code a[pos..end)}. A first pass checks the
     * field and counts the prefixes, so that a bad field allocates nothing and a good one once.
     */
    static Parsed read(byte[] a, int pos, int end, boolean v6, boolean addPath) {
        if (pos >= end) return NONE;
        int max = v6 ? 128 : 32;
        int count = 0;
        for (int p = pos; p < end; count++) {
            if (addPath) {
                if (end - p < 5) return new Parsed(null, "truncated ADD-PATH NLRI");
                p += 4;
            }
            int length = a[p++] & 0xFF;
            if (length > max) return new Parsed(null, "prefix length " + length + " > " + max);
            int bytes = (length + 7) >>> 3;
            if (bytes > end - p) return new Parsed(null, "prefix /" + length + " overruns its field");
            p += bytes;
        }
        Nlri[] out = new Nlri[count];
        int p = pos;
        for (int i = 0; i < count; i++) {
            long pathId = Nlri.NO_PATH_ID;
            if (addPath) {
                pathId = ((long) (a[p] & 0xFF) << 24) | ((a[p + 1] & 0xFF) << 16) | ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                p += 4;
            }
            int length = a[p++] & 0xFF;
            int bytes = (length + 7) >>> 3;
            long hi = 0;
            long lo = 0;
            if (v6) {
                for (int k = 0; k < 8; k++) hi = (hi << 8) | (k < bytes ? a[p + k] & 0xFF : 0);
                for (int k = 8; k < 16; k++) lo = (lo << 8) | (k < bytes ? a[p + k] & 0xFF : 0);
            } else {
                for (int k = 0; k < 4; k++) lo = (lo << 8) | (k < bytes ? a[p + k] & 0xFF : 0);
            }
            p += bytes;
            // host bits masked here (RFC 4271 section 4.3), as Prefix.of would
            out[i] = new Nlri(v6 ? new Prefix(hi & Prefix.hiMask(length), lo & Prefix.loMask(length), length, true)
                    : new Prefix(0, lo & Prefix.v4Mask(length), length, false), pathId);
        }
        return new Parsed(immutable(out), null);
    }

    /**
     * {@code List.of(out)}, without its defensive copy for up to 10 prefixes: the fixed-arity
     * overloads take the array they build as it is (an array clone is a native call under C1).
     */
    private static List<Nlri> immutable(Nlri[] a) {
        return switch (a.length) {
            case 1 -> List.of(a[0]);
            case 2 -> List.of(a[0], a[1]);
            case 3 -> List.of(a[0], a[1], a[2]);
            case 4 -> List.of(a[0], a[1], a[2], a[3]);
            case 5 -> List.of(a[0], a[1], a[2], a[3], a[4]);
            case 6 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 7 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            case 8 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            case 9 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
            case 10 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
            default -> List.of(a);
        };
    }

    /** RFC 7911 section 3: with ADD-PATH every NLRI carries a path id (0 when none was given). */
    static void write(List<Nlri> nlri, boolean addPath, ByteBuf out) {
        for (Nlri n : nlri) {
            if (addPath) out.writeInt((int) Math.max(0, n.pathId()));
            Prefix p = n.prefix();
            out.writeByte(p.length());
            int bytes = p.wireBytes();
            if (p.v6()) {
                for (int i = 0; i < bytes; i++) out.writeByte((int) ((i < 8 ? p.hi() : p.lo()) >>> (56 - 8 * i)));
            } else {
                // one write per prefix, not per byte
                int a = (int) p.lo();
                switch (bytes) {
                    case 1 -> out.writeByte(a >>> 24);
                    case 2 -> out.writeShort(a >>> 16);
                    case 3 -> out.writeMedium(a >>> 8);
                    case 4 -> out.writeInt(a);
                    default -> { } // /0
                }
            }
        }
    }

    static int size(List<Nlri> nlri, boolean addPath) {
        int n = 0;
        for (Nlri x : nlri) n += 1 + x.prefix().wireBytes() + (addPath ? 4 : 0);
        return n;
    }
}
