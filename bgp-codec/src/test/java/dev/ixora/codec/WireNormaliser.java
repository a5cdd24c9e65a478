package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits an UPDATE body into a canonical text: withdrawn field, attributes (optionally sorted by type
 * code) with chosen flag bits masked (e.g. Extended Length, a length-encoding choice), NLRI field.
 */
final class WireNormaliser {
    private WireNormaliser() {}

    /** Only the flag bits in {@code mask} are cleared; attributes are sorted when {@code sort}. */
    static String normalise(byte[] b, int mask, boolean sort) {
        HexFormat hex = HexFormat.of();
        int wlen = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int alen = ((b[2 + wlen] & 0xFF) << 8) | (b[3 + wlen] & 0xFF);
        int p = 4 + wlen;
        int end = p + alen;
        List<String> attrs = new ArrayList<>();
        while (p < end) {
            int flags = b[p] & 0xFF;
            int type = b[p + 1] & 0xFF;
            boolean ext = (flags & 0x10) != 0;
            int len = ext ? ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF) : b[p + 2] & 0xFF;
            int v = p + (ext ? 4 : 3);
            attrs.add(String.format("%03d/%02x:", type, flags & ~mask) + hex.formatHex(b, v, v + len));
            p = v + len;
        }
        if (sort) attrs.sort(Comparator.naturalOrder());
        return "W " + hex.formatHex(b, 2, 2 + wlen) + " A " + attrs + " N " + hex.formatHex(b, end, b.length);
    }
}
