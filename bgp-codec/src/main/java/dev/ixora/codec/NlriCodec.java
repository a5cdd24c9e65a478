package dev.ixora.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Prefix lists as RFC 4271 section 4.3 encodes them (length in bits, then ceil(length/8) bytes), with RFC 7911 path ids. */
final class NlriCodec {
    private NlriCodec() {}

    /** Parsed prefixes, or the reason the field could not be parsed (nlri == null). */
    record Parsed(List<Nlri> nlri, String error) {}

    /** Reads prefixes until {@code buf} is exhausted. Trailing host bits are masked (RFC 4271 section 4.3: their value is irrelevant). */
    static Parsed read(ByteBuf buf, boolean v6, boolean addPath) {
        List<Nlri> out = new ArrayList<>();
        int max = v6 ? 128 : 32;
        while (buf.isReadable()) {
            long pathId = Nlri.NO_PATH_ID;
            if (addPath) {
                if (buf.readableBytes() < 5) return new Parsed(null, "truncated ADD-PATH NLRI");
                pathId = buf.readUnsignedInt();
            }
            int length = buf.readUnsignedByte();
            if (length > max) return new Parsed(null, "prefix length " + length + " > " + max);
            int bytes = (length + 7) >>> 3;
            if (bytes > buf.readableBytes()) return new Parsed(null, "prefix /" + length + " overruns its field");
            long hi = 0;
            long lo = 0;
            if (v6) {
                for (int i = 0; i < 8; i++) hi = (hi << 8) | (i < bytes ? buf.readUnsignedByte() : 0);
                for (int i = 8; i < 16; i++) lo = (lo << 8) | (i < bytes ? buf.readUnsignedByte() : 0);
            } else {
                for (int i = 0; i < 4; i++) lo = (lo << 8) | (i < bytes ? buf.readUnsignedByte() : 0);
            }
            out.add(new Nlri(Prefix.of(v6, hi, lo, length), pathId));
        }
        return new Parsed(out, null);
    }

    /** RFC 7911 section 3: with ADD-PATH every NLRI carries a path id (0 when none was given). */
    static void write(List<Nlri> nlri, boolean addPath, ByteBuf out) {
        for (Nlri n : nlri) {
            if (addPath) out.writeInt((int) Math.max(0, n.pathId()));
            Prefix p = n.prefix();
            out.writeByte(p.length());
            int bytes = p.wireBytes();
            if (p.v6()) {
                for (int i = 0; i < bytes; i++) out.writeByte((int) ((i < 8 ? p.hi() : p.lo()) >>> (56 - 8 * (i & 7))));
            } else {
                for (int i = 0; i < bytes; i++) out.writeByte((int) (p.lo() >>> (24 - 8 * i)));
            }
        }
    }

    static int size(List<Nlri> nlri, boolean addPath) {
        int n = 0;
        for (Nlri x : nlri) n += 1 + x.prefix().wireBytes() + (addPath ? 4 : 0);
        return n;
    }
}
