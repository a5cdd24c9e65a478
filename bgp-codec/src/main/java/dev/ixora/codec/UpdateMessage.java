package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * UPDATE (RFC 4271 section 4.3). {@code withdrawn} and {@code nlri} are the IPv4 unicast fields of
 * the message; other families travel in {@link PathAttribute.MpReach} / {@link PathAttribute.MpUnreach}.
 * Attributes are kept sorted by type code (the order they are encoded in); a type appears once,
 * except MP_UNREACH_NLRI for different families, which only treat-as-withdraw produces.
 */
public record UpdateMessage(List<Nlri> withdrawn, List<PathAttribute> attributes, List<Nlri> nlri)
        implements BgpMessage {

    public UpdateMessage {
        withdrawn = List.copyOf(withdrawn);
        nlri = List.copyOf(nlri);
        for (Nlri n : withdrawn) if (n.prefix().v6()) throw new IllegalArgumentException("IPv6 in withdrawn: " + n);
        for (Nlri n : nlri) if (n.prefix().v6()) throw new IllegalArgumentException("IPv6 in NLRI field: " + n);
        List<PathAttribute> sorted = new ArrayList<>(attributes);
        sorted.sort(Comparator.comparingInt(PathAttribute::typeCode));
        for (int i = 1; i < sorted.size(); i++) {
            PathAttribute a = sorted.get(i);
            PathAttribute b = sorted.get(i - 1);
            if (a.typeCode() == b.typeCode() && !(a instanceof PathAttribute.MpUnreach u
                    && b instanceof PathAttribute.MpUnreach v && !u.afiSafi().equals(v.afiSafi()))) {
                throw new IllegalArgumentException("attribute type " + a.typeCode() + " twice");
            }
        }
        attributes = List.copyOf(sorted);
    }

    /** RFC 4724 section 2: End-of-RIB for IPv4 unicast is an empty UPDATE; other families an empty MP_UNREACH. */
    public static UpdateMessage endOfRib(AfiSafi family) {
        if (family.equals(AfiSafi.IPV4_UNICAST)) return new UpdateMessage(List.of(), List.of(), List.of());
        return new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(family, List.of())), List.of());
    }

    /** An announcement of IPv4 NLRI with the given attributes (which must hold what RFC 4271 requires). */
    public static UpdateMessage announce(List<PathAttribute> attributes, List<Nlri> nlri) {
        return new UpdateMessage(List.of(), attributes, nlri);
    }

    @Override
    public int type() {
        return UPDATE;
    }

    public <T extends PathAttribute> Optional<T> attribute(Class<T> kind) {
        for (PathAttribute a : attributes) if (kind.isInstance(a)) return Optional.of(kind.cast(a));
        return Optional.empty();
    }

    /** All attributes except MP_REACH/MP_UNREACH, as the RIB interns them. */
    public Attributes pathAttributes() {
        return new Attributes(attributes.stream()
                .filter(a -> !(a instanceof PathAttribute.MpReach) && !(a instanceof PathAttribute.MpUnreach))
                .toList());
    }

    public boolean isEndOfRib() {
        return endOfRibFamily().isPresent();
    }

    /** The family this message is End-of-RIB for (RFC 4724 section 2), if it is one. */
    public Optional<AfiSafi> endOfRibFamily() {
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) return Optional.empty();
        if (attributes.isEmpty()) return Optional.of(AfiSafi.IPV4_UNICAST);
        if (attributes.size() == 1 && attributes.get(0) instanceof PathAttribute.MpUnreach u && u.withdrawn().isEmpty()) {
            return Optional.of(u.afiSafi());
        }
        return Optional.empty();
    }

    /** IPv4 NLRI (next hop from NEXT_HOP) followed by MP_REACH NLRI (next hop from MP_REACH). */
    public List<Announced> announced() {
        List<Announced> out = new ArrayList<>();
        if (!nlri.isEmpty()) {
            byte[] nh = attribute(PathAttribute.NextHop.class)
                    .map(n -> new byte[] {(byte) (n.address() >>> 24), (byte) (n.address() >>> 16),
                            (byte) (n.address() >>> 8), (byte) n.address()})
                    .orElse(new byte[0]);
            for (Nlri n : nlri) out.add(new Announced(AfiSafi.IPV4_UNICAST, n, nh));
        }
        attribute(PathAttribute.MpReach.class).ifPresent(r -> {
            byte[] nh = r.nextHop();
            for (Nlri n : r.nlri()) out.add(new Announced(r.afiSafi(), n, nh));
        });
        return out;
    }

    /** IPv4 withdrawn routes followed by MP_UNREACH withdrawn routes. */
    public List<Withdrawn> withdrawnAll() {
        List<Withdrawn> out = new ArrayList<>();
        for (Nlri n : withdrawn) out.add(new Withdrawn(AfiSafi.IPV4_UNICAST, n));
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.MpUnreach u) for (Nlri n : u.withdrawn()) out.add(new Withdrawn(u.afiSafi(), n));
        }
        return out;
    }

    /** One reachable route: its family, NLRI and next hop bytes (4, 16 or 32; empty if none was sent). */
    public record Announced(AfiSafi afiSafi, Nlri nlri, byte[] nextHop) {
        public Announced {
            nextHop = nextHop.clone();
        }

        @Override
        public byte[] nextHop() {
            return nextHop.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Announced a && a.afiSafi.equals(afiSafi) && a.nlri.equals(nlri)
                    && Arrays.equals(a.nextHop, nextHop);
        }

        @Override
        public int hashCode() {
            return (31 * afiSafi.hashCode() + nlri.hashCode()) * 31 + Arrays.hashCode(nextHop);
        }

        @Override
        public String toString() {
            return afiSafi + " " + nlri + " via " + (nextHop.length == 0 ? "-" : IpText.format(
                    nextHop.length == 32 ? Arrays.copyOf(nextHop, 16) : nextHop));
        }
    }

    /** One unreachable route and its family. */
    public record Withdrawn(AfiSafi afiSafi, Nlri nlri) {}
}
