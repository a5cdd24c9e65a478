package dev.ixora.conf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP address literals: never a DNS lookup, never the lenient forms of
 * {@code InetAddress.getByName} ("10.1" or "010.0.0.1"). Text in RFC 5952 canonical form.
 */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {}

    /** An IPv4 dotted quad or an IPv6 literal; IllegalArgumentException with a config message otherwise. */
    public static InetAddress parse(String text) {
        InetAddress a = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        if (a == null) throw new IllegalArgumentException("expected an IPv4 or IPv6 address, got \"" + text + "\"");
        return a;
    }

    /** A dotted quad, or null. */
    public static Inet4Address parseV4(String text) {
        if (!IPV4.matcher(text).matches()) return null;
        String[] parts = text.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) return null;
            b[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Inet6Address parseV6(String text) {
        // Only hex digits, colons and dots: getByName treats this as a literal and does no lookup.
        if (!IPV6.matcher(text).matches() || text.indexOf("::") != text.lastIndexOf("::")) return null;
        try {
            InetAddress a = InetAddress.getByName(text);
            // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as Inet4Address; we do not accept it.
            return a instanceof Inet6Address v6 ? v6 : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** "198.18.0.1:179" or "[2001:db8::1]:179"; port 1..65535. */
    public static InetSocketAddress parseSocket(String text) {
        String bad = "expected \"address:port\" or \"[IPv6 address]:port\", got \"" + text + "\"";
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) throw new IllegalArgumentException(bad);
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException(bad);
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(bad + " (write IPv6 addresses in brackets)");
            }
        }
        InetAddress address = host.indexOf(':') >= 0 ? parseV6(host) : parseV4(host);
        if (address == null) {
            throw new IllegalArgumentException("expected an IPv4 or IPv6 address, got \"" + host + "\" in \"" + text + "\"");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("expected a port 1..65535, got \"" + port + "\" in \"" + text + "\"");
        }
        return new InetSocketAddress(address, Integer.parseInt(port));
    }

    /** RFC 5952 text: dotted quad, or lower-case IPv6 with the longest run of zero groups as "::". */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        // RFC 5952 §4.2.3: shorten the longest run of zero groups (first one on a tie), only if > 1 group.
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** "198.18.0.1:179" or "[2001:db8::1]:179". */
    public static String format(InetSocketAddress s) {
        InetAddress a = s.getAddress();
        String host = a instanceof Inet6Address ? "[" + format(a) + "]" : format(a);
        return host + ":" + s.getPort();
    }
}
