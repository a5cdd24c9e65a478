package dev.ixora.codec;

/**
 * Address text without InetAddress (which may resolve names): dotted quad and RFC 5952 canonical
 * IPv6 (lower case, longest run of two or more zero groups compressed, the first on a tie).
 */
public final class IpText {
    private IpText() {}

    public static String format(byte[] a) {
        if (a.length == 4) return formatV4(a, 0);
        if (a.length != 16) throw new IllegalArgumentException("address of " + a.length + " bytes");
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        return sb.toString();
    }

    public static String formatV4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    static String formatV4(byte[] a, int off) {
        return (a[off] & 0xFF) + "." + (a[off + 1] & 0xFF) + "." + (a[off + 2] & 0xFF) + "." + (a[off + 3] & 0xFF);
    }

    public static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = parseInt(parts[i], 10, s);
            if (v > 255 || parts[i].length() > 3) throw new IllegalArgumentException("not an IPv4 address: " + s);
            b[i] = (byte) v;
        }
        return b;
    }

    public static int parseV4Int(String s) {
        byte[] b = parseV4(s);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public static byte[] parseV6(String s) {
        byte[] out = new byte[16];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) throw new IllegalArgumentException("two '::' in " + s);
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        byte[] h = groups(head, s);
        byte[] t = groups(tail, s);
        if (dbl < 0 && h.length != 16) throw new IllegalArgumentException("not an IPv6 address: " + s);
        if (h.length + t.length > (dbl >= 0 ? 14 : 16)) throw new IllegalArgumentException("too long: " + s);
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 16 - t.length, t.length);
        return out;
    }

    private static byte[] groups(String part, String whole) {
        if (part.isEmpty()) return new byte[0];
        String[] gs = part.split(":", -1);
        byte[] out = new byte[16];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i == gs.length - 1 && gs[i].indexOf('.') >= 0) { // RFC 4291 2.2: trailing dotted quad
                byte[] v4 = parseV4(gs[i]);
                if (n + 4 > 16) throw new IllegalArgumentException("too long: " + whole);
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
                continue;
            }
            if (gs[i].isEmpty() || gs[i].length() > 4 || n + 2 > 16) {
                throw new IllegalArgumentException("not an IPv6 address: " + whole);
            }
            int v = parseInt(gs[i], 16, whole);
            out[n++] = (byte) (v >>> 8);
            out[n++] = (byte) v;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int parseInt(String s, int radix, String whole) {
        if (s.isEmpty()) throw new IllegalArgumentException("bad address: " + whole);
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0) throw new IllegalArgumentException("bad address: " + whole);
        }
        return Integer.parseInt(s, radix);
    }
}
