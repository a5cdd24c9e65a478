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

    /** As {@link #read(ByteBuf, boolean, boolean)}, from {@code a[pos..end)}. */
    static Parsed read(byte[] a, int pos, int end, boolean v6, boolean addPath) {
        List<Nlri> nlri = list(a, pos, end, v6, addPath);
        if (nlri == null) return new Parsed(null, error(a, pos, end, v6, addPath));
        return nlri.isEmpty() ? NONE : new Parsed(nlri, null);
    }

    /**
     * The prefixes in {@code a[pos..end)} as an immutable list, or null when the field is malformed
     * ({@link #error} says why). A first pass checks the field and counts the prefixes, so that a
     * bad field allocates nothing and a good one only its prefixes and the list.
     */
    static List<Nlri> list(byte[] a, int pos, int end, boolean v6, boolean addPath) {
        if (pos >= end) return List.of();
        int count = count(a, pos, end, v6, addPath);
        if (count < 0) return null;
        // up to 4 prefixes (a full-table feed's usual) straight into List.of, without an array between
        int p = pos;
        if (count <= 4) {
            Nlri x0 = at(a, p, v6, addPath);
            if (count == 1) return List.of(x0);
            p = after(p, x0, addPath);
            Nlri x1 = at(a, p, v6, addPath);
            if (count == 2) return List.of(x0, x1);
            p = after(p, x1, addPath);
            Nlri x2 = at(a, p, v6, addPath);
            if (count == 3) return List.of(x0, x1, x2);
            p = after(p, x2, addPath);
            return List.of(x0, x1, x2, at(a, p, v6, addPath));
        }
        Nlri[] out = new Nlri[count];
        for (int i = 0; i < count; i++) {
            Nlri x = at(a, p, v6, addPath);
            out[i] = x;
            p = after(p, x, addPath);
        }
        return immutable(out);
    }

    /** The number of prefixes in a well-formed field, -1 when it is malformed. */
    private static int count(byte[] a, int pos, int end, boolean v6, boolean addPath) {
        int max = v6 ? 128 : 32;
        int count = 0;
        for (int p = pos; p < end; count++) {
            if (addPath) {
                if (end - p < 5) return -1;
                p += 4;
            }
            int length = a[p++] & 0xFF;
            if (length > max) return -1;
            int bytes = (length + 7) >>> 3;
            if (bytes > end - p) return -1;
            p += bytes;
        }
        return count;
    }

    /** Why {@link #list} refused the field (null when it did not): the same walk, in words. */
    static String error(byte[] a, int pos, int end, boolean v6, boolean addPath) {
        int max = v6 ? 128 : 32;
        for (int p = pos; p < end; ) {
            if (addPath) {
                if (end - p < 5) return "truncated ADD-PATH NLRI";
                p += 4;
            }
            int length = a[p++] & 0xFF;
            if (length > max) return "prefix length " + length + " > " + max;
            int bytes = (length + 7) >>> 3;
            if (bytes > end - p) return "prefix /" + length + " overruns its field";
            p += bytes;
        }
        return null;
    }

    /** The NLRI at {@code a[p..]} of a field {@link #count} accepted. */
    private static Nlri at(byte[] a, int p, boolean v6, boolean addPath) {
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
            for (int k = 0; k < bytes; k++) lo |= (long) (a[p + k] & 0xFF) << (24 - 8 * k);
        }
        // host bits masked here (RFC 4271 section 4.3), as Prefix.of would
        return new Nlri(v6 ? new Prefix(hi & Prefix.hiMask(length), lo & Prefix.loMask(length), length, true)
                : new Prefix(0, lo & Prefix.v4Mask(length), length, false), pathId);
    }

    /** Where the NLRI after {@code x}, which starts at {@code p}, starts. */
    private static int after(int p, Nlri x, boolean addPath) {
        return p + (addPath ? 5 : 1) + x.prefix().wireBytes();
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
