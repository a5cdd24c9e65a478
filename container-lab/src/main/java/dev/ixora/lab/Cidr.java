package dev.ixora.lab;

import dev.ixora.conf.Addresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. "198.18.0.0/24" or "2001:db8::1/64". Used for
 * LAN prefixes (host bits zero) and interface addresses (host bits set).
 */
record Cidr(byte[] bytes, int length) {
    Cidr {
        bytes = bytes.clone();
        if (bytes.length != 4 && bytes.length != 16) throw new IllegalArgumentException("address of " + bytes.length + " bytes");
        if (length < 0 || length > bytes.length * 8) throw new IllegalArgumentException("prefix length " + length);
    }

    /** Parses "a.b.c.d/n", "x::y/n", or a bare address (full length). Returns null when it is neither. */
    static Cidr parse(String text) {
        String addr = text;
        int len = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        byte[] b = literal(addr);
        if (b == null) return null;
        if (len < 0) len = b.length * 8;
        if (len > b.length * 8) return null;
        return new Cidr(b, len);
    }

    /** The bytes of a numeric IPv4 or IPv6 literal, never a DNS lookup; null when it is not one. */
    static byte[] literal(String addr) {
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) return null;
        try {
            InetAddress a = InetAddress.getByName(addr); // a literal: no resolver involved
            if (v4 && !(a instanceof Inet4Address)) return null;
            if (v6 && !(a instanceof Inet6Address)) return null;
            return a.getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    boolean ipv4() {
        return bytes.length == 4;
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The prefix with host bits cleared. */
    Cidr network() {
        BigInteger v = value();
        BigInteger mask = BigInteger.ONE.shiftLeft(bits() - length).subtract(BigInteger.ONE).not();
        return of(v.and(mask), length);
    }

    boolean hostBitsZero() {
        return Arrays.equals(network().bytes, bytes);
    }

    /** Whether addr (any length) lies inside this prefix. */
    boolean contains(Cidr addr) {
        return addr.bytes.length == bytes.length
                && new Cidr(addr.bytes, length).network().equals(network());
    }

    /** The n-th address of this prefix (n = 1 is the first host), with this prefix's length. */
    Cidr host(long n) {
        BigInteger size = BigInteger.ONE.shiftLeft(bits() - length);
        if (BigInteger.valueOf(n).compareTo(size.subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException(this + " has no host number " + n);
        }
        return of(network().value().add(BigInteger.valueOf(n)), length);
    }

    /** The address alone, canonical (RFC 5952 §4 for IPv6: lower case, longest zero run as "::"). */
    String address() {
        try {
            // Inet6Address keeps an IPv4-mapped address IPv6; InetAddress.getByAddress would make it IPv4.
            return Addresses.format(ipv4() ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1));
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // the constructor allows only 4 or 16 bytes
        }
    }

    @Override
    public String toString() {
        return address() + "/" + length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.length == length && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + length;
    }

    private int bits() {
        return bytes.length * 8;
    }

    private BigInteger value() {
        return new BigInteger(1, bytes);
    }

    private Cidr of(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return new Cidr(out, len);
    }
}
