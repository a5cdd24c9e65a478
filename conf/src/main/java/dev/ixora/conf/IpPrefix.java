package dev.ixora.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 prefix from the config, always canonical (no host bits set). */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max + ", got " + length);
        }
        if (!canonical(address, length).equals(address)) {
            throw new IllegalArgumentException("prefix " + Addresses.format(address) + "/" + length
                    + " has host bits set; did you mean " + Addresses.format(canonical(address, length))
                    + "/" + length + "?");
        }
    }

    /** Parses "203.0.113.0/24" or "2001:db8::/32". */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String bad = "expected a prefix like 203.0.113.0/24 or 2001:db8::/32, got \"" + text + "\"";
        if (slash < 0) throw new IllegalArgumentException(bad);
        String len = text.substring(slash + 1);
        if (!len.matches("[0-9]{1,3}")) throw new IllegalArgumentException(bad);
        InetAddress a;
        try {
            a = Addresses.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bad);
        }
        return new IpPrefix(a, Integer.parseInt(len));
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    static InetAddress canonical(InetAddress address, int length) {
        byte[] b = address.getAddress();
        for (int bit = length; bit < b.length * 8; bit++) b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return Addresses.format(address) + "/" + length;
    }
}
