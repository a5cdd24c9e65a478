package dev.ixora.codec;

/**
 * An IPv4 or IPv6 prefix as packed primitives (no InetAddress): an IPv6 address is {@code hi:lo}, an
 * IPv4 address sits in the low 32 bits of {@code lo} with {@code hi == 0}. Host bits are always zero
 * (the constructor rejects them; {@link #of(boolean, long, long, int)} masks them, which is what
 * decoding does: RFC 4271 section 4.3 says the value of trailing bits is irrelevant).
 * Ordered IPv4 before IPv6, then by address (unsigned), then by length.
 */
public record Prefix(long hi, long lo, int length, boolean v6) implements Comparable<Prefix> {

    public Prefix {
        int max = v6 ? 128 : 32;
        if (length < 0 || length > max) throw new IllegalArgumentException("prefix length " + length + " > " + max);
        if (!v6 && (hi != 0 || (lo >>> 32) != 0)) throw new IllegalArgumentException("IPv4 address out of range");
        long mhi = v6 ? hi & hiMask(length) : 0;
        long mlo = lo & (v6 ? loMask(length) : v4Mask(length));
        if (mhi != hi || mlo != lo) throw new IllegalArgumentException("host bits set beyond /" + length);
    }

    /** Builds a prefix, zeroing host bits. */
    public static Prefix of(boolean v6, long hi, long lo, int length) {
        int max = v6 ? 128 : 32;
        if (length < 0 || length > max) throw new IllegalArgumentException("prefix length " + length + " > " + max);
        return new Prefix(v6 ? hi & hiMask(length) : 0, lo & (v6 ? loMask(length) : v4Mask(length)), length, v6);
    }

    public static Prefix ipv4(int address, int length) {
        return of(false, 0, Integer.toUnsignedLong(address), length);
    }

    /** From address bytes (4 or 16, possibly fewer: missing bytes are zero), zeroing host bits. */
    public static Prefix fromBytes(boolean v6, byte[] addr, int length) {
        long[] hl = pack(v6, addr);
        return of(v6, hl[0], hl[1], length);
    }

    private static long[] pack(boolean v6, byte[] addr) {
        long hi = 0;
        long lo = 0;
        if (v6) {
            for (int i = 0; i < 8; i++) hi = (hi << 8) | (i < addr.length ? addr[i] & 0xFF : 0);
            for (int i = 8; i < 16; i++) lo = (lo << 8) | (i < addr.length ? addr[i] & 0xFF : 0);
        } else {
            for (int i = 0; i < 4; i++) lo = (lo << 8) | (i < addr.length ? addr[i] & 0xFF : 0);
        }
        return new long[] {hi, lo};
    }

    /** Parses "203.0.113.0/24" or "2001:db8::/32"; IllegalArgumentException when malformed or host bits set. */
    public static Prefix parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("no /length in " + s);
        int length;
        try {
            length = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad length in " + s);
        }
        String addr = s.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        long[] hl = pack(v6, v6 ? IpText.parseV6(addr) : IpText.parseV4(addr));
        return new Prefix(hl[0], hl[1], length, v6);
    }

    public AfiSafi afiSafi() {
        return v6 ? AfiSafi.IPV6_UNICAST : AfiSafi.IPV4_UNICAST;
    }

    /** The full address, 4 or 16 bytes. */
    public byte[] addressBytes() {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            for (int i = 0; i < 8; i++) b[i] = (byte) (hi >>> (56 - 8 * i));
            for (int i = 0; i < 8; i++) b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        } else {
            for (int i = 0; i < 4; i++) b[i] = (byte) (lo >>> (24 - 8 * i));
        }
        return b;
    }

    /** Bytes an NLRI needs for the address part (RFC 4271 section 4.3: ceil(length / 8)). */
    public int wireBytes() {
        return (length + 7) >>> 3;
    }

    @Override
    public int compareTo(Prefix o) {
        if (v6 != o.v6) return v6 ? 1 : -1;
        int c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) c = Long.compareUnsigned(lo, o.lo);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public String toString() {
        return IpText.format(addressBytes()) + "/" + length;
    }

    static long hiMask(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    static long loMask(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    static long v4Mask(int length) {
        return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
    }
}
