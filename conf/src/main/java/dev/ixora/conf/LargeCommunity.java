package dev.ixora.conf;

/** An RFC 8092 large community "global:local1:local2", 32 bits each. */
public record LargeCommunity(long globalAdmin, long local1, long local2) {
    public LargeCommunity {
        if (!fits(globalAdmin) || !fits(local1) || !fits(local2)) {
            throw new IllegalArgumentException("large community parts must be 0..4294967295");
        }
    }

    public static LargeCommunity parse(String text) {
        String[] p = text.split(":", -1);
        if (p.length != 3 || !Values.isUint(p[0]) || !Values.isUint(p[1]) || !Values.isUint(p[2])
                || !fits(Long.parseLong(p[0])) || !fits(Long.parseLong(p[1])) || !fits(Long.parseLong(p[2]))) {
            throw new IllegalArgumentException(
                    "expected a large community \"a:b:c\" (0..4294967295 each), got \"" + text + "\"");
        }
        return new LargeCommunity(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
    }

    private static boolean fits(long v) {
        return v >= 0 && v <= 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return globalAdmin + ":" + local1 + ":" + local2;
    }
}
