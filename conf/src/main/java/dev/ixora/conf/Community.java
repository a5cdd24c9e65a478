package dev.ixora.conf;

import java.util.Map;

/** An RFC 1997 community "a:b" (16 bits each), as a 32-bit value. */
public record Community(long value) {
    // Well-known names accepted in the config, with the RFC that defines each.
    private static final Map<String, Long> NAMES = Map.of(
            "no-export", 0xFFFF_FF01L,          // RFC 1997
            "no-advertise", 0xFFFF_FF02L,       // RFC 1997
            "blackhole", 0xFFFF_029AL,          // RFC 7999: 65535:666
            "graceful-shutdown", 0xFFFF_0000L); // RFC 8326: 65535:0

    public Community {
        if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException("community out of range: " + value);
    }

    public static Community of(int high, int low) {
        return new Community(((long) high << 16) | low);
    }

    /** "64500:1" or a well-known name. */
    public static Community parse(String text) {
        Long named = NAMES.get(text);
        if (named != null) return new Community(named);
        String[] p = text.split(":", -1);
        if (p.length != 2 || !Values.isUint(p[0]) || !Values.isUint(p[1])
                || Long.parseLong(p[0]) > 0xFFFF || Long.parseLong(p[1]) > 0xFFFF) {
            throw new IllegalArgumentException("expected a community \"a:b\" (0..65535 each) or one of "
                    + "no-export, no-advertise, blackhole, graceful-shutdown, got \"" + text + "\""
                    + (p.length == 3 ? " (a large community goes in large-communities)" : ""));
        }
        return of(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    public int high() {
        return (int) (value >>> 16);
    }

    public int low() {
        return (int) (value & 0xFFFF);
    }

    @Override
    public String toString() {
        return high() + ":" + low();
    }
}
