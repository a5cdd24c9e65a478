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
        public Multiprotocol {
            if (afiSafi == null) throw new IllegalArgumentException("afiSafi is required");
        }
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
        public Role {
            if (role < 0 || role > 0xFF) throw new IllegalArgumentException("role out of range: " + role);
        }
        public int code() { return ROLE; }
    }

    /** RFC 4724: restart flags (R bit = 0x8, N bit = 0x4 of the 4-bit field), time, per-family F bit. */
    record GracefulRestart(int restartFlags, int restartTime, List<Family> families) implements Capability {
        public record Family(AfiSafi afiSafi, boolean forwardingPreserved) {}
        public GracefulRestart {
            // RFC 4724 section 3: 4 bits of flags, 12 bits of restart time.
            if (restartFlags < 0 || restartFlags > 0xF) throw new IllegalArgumentException("restart flags: " + restartFlags);
            if (restartTime < 0 || restartTime > 0xFFF) throw new IllegalArgumentException("restart time: " + restartTime);
            families = List.copyOf(families);
        }
        public boolean restarting() { return (restartFlags & 0x8) != 0; }
        public int code() { return GRACEFUL_RESTART; }
    }

    /** RFC 7911: per family, 1 = receive, 2 = send, 3 = both. */
    record AddPath(List<Family> families) implements Capability {
        public record Family(AfiSafi afiSafi, int sendReceive) {
            public Family {
                if (afiSafi == null) throw new IllegalArgumentException("afiSafi is required");
                // RFC 7911 section 4: 1 receive, 2 send, 3 both.
                if (sendReceive < 1 || sendReceive > 3) throw new IllegalArgumentException("send/receive: " + sendReceive);
            }
            public boolean canReceive() { return (sendReceive & 1) != 0; }
            public boolean canSend() { return (sendReceive & 2) != 0; }
        }
        public AddPath { families = List.copyOf(families); }
        public int code() { return ADD_PATH; }
    }

    record Fqdn(String hostName, String domainName) implements Capability {
        public Fqdn {
            // draft-walton-bgp-hostname-capability section 3: each name has a one-octet length.
            if (hostName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255
                    || domainName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("FQDN names are at most 255 bytes each");
            }
        }
        public int code() { return FQDN; }
    }

    /** Any capability this codec does not interpret; its value bytes are kept unchanged. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown {
            if (code < 0 || code > 0xFF) throw new IllegalArgumentException("capability code: " + code);
            if (value.length > 0xFF) throw new IllegalArgumentException("capability value over 255 bytes");
            value = value.clone();
        }
        @Override public byte[] value() { return value.clone(); }
        @Override public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }
        @Override public int hashCode() { return 31 * code + Arrays.hashCode(value); }
        @Override public String toString() { return "Unknown[code=" + code + ", len=" + value.length + "]"; }
    }
}
