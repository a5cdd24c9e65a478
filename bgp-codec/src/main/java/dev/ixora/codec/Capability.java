package dev.ixora.codec;

import java.util.Arrays;
import java.util.List;

/**
 * A BGP capability (RFC 5492) carried in OPEN. Every known capability is a small record; anything
 * else is kept as {@link Unknown}, byte for byte.
 */
public interface Capability {
    // IANA "Capability Codes"
    int MULTIPROTOCOL = 1;          // RFC 4760
    int ROUTE_REFRESH = 2;          // RFC 2918
    int EXTENDED_MESSAGE = 6;       // RFC 8654
    int ROLE = 9;                   // RFC 9234
    int GRACEFUL_RESTART = 64;      // RFC 4724
    int FOUR_OCTET_AS = 65;         // RFC 6793
    int ADD_PATH = 69;              // RFC 7911
    int ENHANCED_ROUTE_REFRESH = 70; // RFC 7313
    int FQDN = 73;                  // draft-walton-bgp-hostname-capability

    int code();

    record Multiprotocol(AfiSafi afiSafi) implements Capability {
        public int code() { return MULTIPROTOCOL; }
    }

    record RouteRefresh() implements Capability {
        public int code() { return ROUTE_REFRESH; }
    }

    record EnhancedRouteRefresh() implements Capability {
        public int code() { return ENHANCED_ROUTE_REFRESH; }
    }

    record ExtendedMessage() implements Capability {
        public int code() { return EXTENDED_MESSAGE; }
    }

    record FourOctetAs(long asn) implements Capability {
        public FourOctetAs {
            if (asn < 0 || asn > 0xFFFF_FFFFL) throw new IllegalArgumentException("ASN out of range: " + asn);
        }
        public int code() { return FOUR_OCTET_AS; }
    }

    /** RFC 9234 BGP role: 0 provider, 1 rs, 2 rs-client, 3 customer, 4 peer. */
    record Role(int role) implements Capability {
        public static final int PROVIDER = 0, RS = 1, RS_CLIENT = 2, CUSTOMER = 3, PEER = 4;
        public int code() { return ROLE; }
    }

    /** RFC 4724: restart flags (R bit = 0x8, N bit = 0x4 of the 4-bit field), time, per-family F bit. */
    record GracefulRestart(int restartFlags, int restartTime, List<Family> families) implements Capability {
        public record Family(AfiSafi afiSafi, boolean forwardingPreserved) {}
        public GracefulRestart { families = List.copyOf(families); }
        public boolean restarting() { return (restartFlags & 0x8) != 0; }
        public int code() { return GRACEFUL_RESTART; }
    }

    /** RFC 7911: per family, 1 = receive, 2 = send, 3 = both. */
    record AddPath(List<Family> families) implements Capability {
        public record Family(AfiSafi afiSafi, int sendReceive) {
            public boolean canReceive() { return (sendReceive & 1) != 0; }
            public boolean canSend() { return (sendReceive & 2) != 0; }
        }
        public AddPath { families = List.copyOf(families); }
        public int code() { return ADD_PATH; }
    }

    record Fqdn(String hostName, String domainName) implements Capability {
        public int code() { return FQDN; }
    }

    /** Any capability this codec does not interpret; its value bytes are kept unchanged. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown { value = value.clone(); }
        @Override public byte[] value() { return value.clone(); }
        @Override public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }
        @Override public int hashCode() { return 31 * code + Arrays.hashCode(value); }
        @Override public String toString() { return "Unknown[code=" + code + ", len=" + value.length + "]"; }
    }
}
