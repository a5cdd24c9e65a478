package dev.ixora.codec;

import java.util.List;
import java.util.Optional;

/**
 * OPEN (RFC 4271 section 4.2). {@code myAs} is the 2-octet field as sent (AS_TRANS 23456 when the
 * speaker's ASN does not fit); {@link #asn()} is the real ASN, from the 4-octet AS capability when
 * present (RFC 6793). {@code bgpId} is the BGP Identifier as an unsigned 32-bit value.
 * Capabilities are flattened from all Capabilities optional parameters (RFC 5492).
 */
public record OpenMessage(int version, int myAs, int holdTime, long bgpId, List<Capability> capabilities)
        implements BgpMessage {
    public static final int AS_TRANS = 23456;

    public OpenMessage {
        if (version < 0 || version > 0xFF) throw new IllegalArgumentException("version out of range: " + version);
        if (myAs < 0 || myAs > 0xFFFF) throw new IllegalArgumentException("My AS out of range: " + myAs);
        if (holdTime < 0 || holdTime > 0xFFFF) throw new IllegalArgumentException("hold time out of range: " + holdTime);
        if (bgpId < 0 || bgpId > 0xFFFF_FFFFL) throw new IllegalArgumentException("BGP Identifier out of range: " + bgpId);
        capabilities = List.copyOf(capabilities);
    }

    @Override
    public int type() {
        return OPEN;
    }

    public long asn() {
        return capability(Capability.FourOctetAs.class).map(Capability.FourOctetAs::asn).orElse((long) myAs);
    }

    public <T extends Capability> Optional<T> capability(Class<T> kind) {
        return capabilities.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public <T extends Capability> List<T> capabilities(Class<T> kind) {
        return capabilities.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
