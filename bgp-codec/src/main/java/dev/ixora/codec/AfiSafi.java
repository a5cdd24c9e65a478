package dev.ixora.codec;

/**
 * An address family / subsequent address family pair (RFC 4760). Open: any pair of code points is
 * representable, the well-known ones have constants and config names.
 */
public record AfiSafi(int afi, int safi) {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int SAFI_UNICAST = 1;

    public static final AfiSafi IPV4_UNICAST = new AfiSafi(AFI_IPV4, SAFI_UNICAST);
    public static final AfiSafi IPV6_UNICAST = new AfiSafi(AFI_IPV6, SAFI_UNICAST);

    public AfiSafi {
        if (afi < 0 || afi > 0xFFFF) throw new IllegalArgumentException("AFI out of range: " + afi);
        if (safi < 0 || safi > 0xFF) throw new IllegalArgumentException("SAFI out of range: " + safi);
    }

    public static AfiSafi of(int afi, int safi) {
        if (afi == AFI_IPV4 && safi == SAFI_UNICAST) return IPV4_UNICAST;
        if (afi == AFI_IPV6 && safi == SAFI_UNICAST) return IPV6_UNICAST;
        return new AfiSafi(afi, safi);
    }

    /** Parses the config spelling ("ipv4-unicast", "ipv6-unicast"); null when unknown. */
    public static AfiSafi fromName(String name) {
        return switch (name) {
            case "ipv4-unicast" -> IPV4_UNICAST;
            case "ipv6-unicast" -> IPV6_UNICAST;
            default -> null;
        };
    }

    /** Address length in bytes for the AFI, or -1 when the AFI is not an IP family. */
    public int addressLength() {
        return switch (afi) {
            case AFI_IPV4 -> 4;
            case AFI_IPV6 -> 16;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        if (this.equals(IPV4_UNICAST)) return "ipv4-unicast";
        if (this.equals(IPV6_UNICAST)) return "ipv6-unicast";
        return "afi" + afi + "-safi" + safi;
    }
}
