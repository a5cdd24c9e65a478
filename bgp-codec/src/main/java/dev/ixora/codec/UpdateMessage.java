package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * UPDATE (RFC 4271 section 4.3). {@code withdrawn} and {@code nlri} are the IPv4 unicast fields of
 * the message; other families travel in {@link PathAttribute.MpReach} / {@link PathAttribute.MpUnreach}.
 * Attributes are kept sorted by type code (the order they are encoded in); a type appears once,
 * except MP_UNREACH_NLRI for different families, which only treat-as-withdraw produces.
 *
 * <p>Immutable and equal by value like a record (it was one); a class so that it can keep what the
 * receive path asks of every UPDATE, computed once: {@link #pathAttributes()}, and the MP_REACH.
 */
public final class UpdateMessage implements BgpMessage {
    private final List<Nlri> withdrawn;
    private final List<PathAttribute> attributes;
    private final List<Nlri> nlri;
    /** The attributes without MP_REACH/MP_UNREACH; null until first asked (benign race: immutable). */
    private Attributes pathAttributes;

    public UpdateMessage(List<Nlri> withdrawn, List<PathAttribute> attributes, List<Nlri> nlri) {
        withdrawn = List.copyOf(withdrawn);
        nlri = List.copyOf(nlri);
        for (Nlri n : withdrawn) if (n.prefix().v6()) throw new IllegalArgumentException("IPv6 in withdrawn: " + n);
        for (Nlri n : nlri) if (n.prefix().v6()) throw new IllegalArgumentException("IPv6 in NLRI field: " + n);
        List<PathAttribute> sorted = attributes;
        if (!sortedOnce(attributes)) {
            sorted = new ArrayList<>(attributes);
            sorted.sort((x, y) -> Integer.compare(x.typeCode(), y.typeCode()));
            for (int i = 1; i < sorted.size(); i++) {
                PathAttribute a = sorted.get(i);
                PathAttribute b = sorted.get(i - 1);
                if (a.typeCode() == b.typeCode() && !(a instanceof PathAttribute.MpUnreach u
                        && b instanceof PathAttribute.MpUnreach v && !u.afiSafi().equals(v.afiSafi()))) {
                    throw new IllegalArgumentException("attribute type " + a.typeCode() + " twice");
                }
            }
        }
        this.withdrawn = withdrawn;
        this.attributes = List.copyOf(sorted);
        this.nlri = nlri;
    }

    /**
     * The decoder's constructor: the lists are immutable, IPv4 only, attributes sorted with each
     * type once, and {@code pathAttributes} (may be null) is {@code attributes} without MP_REACH /
     * MP_UNREACH. Nothing is copied or checked again.
     */
    UpdateMessage(List<Nlri> withdrawn, List<PathAttribute> attributes, List<Nlri> nlri, Attributes pathAttributes) {
        this.withdrawn = withdrawn;
        this.attributes = attributes;
        this.nlri = nlri;
        this.pathAttributes = pathAttributes;
    }

    /** True when type codes strictly increase (sorted, none twice): the common case needs no sort. */
    private static boolean sortedOnce(List<PathAttribute> attributes) {
        int last = -1;
        for (PathAttribute a : attributes) {
            if (a.typeCode() <= last) return false;
            last = a.typeCode();
        }
        return true;
    }

    public List<Nlri> withdrawn() {
        return withdrawn;
    }

    public List<PathAttribute> attributes() {
        return attributes;
    }

    public List<Nlri> nlri() {
        return nlri;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof UpdateMessage m && m.withdrawn.equals(withdrawn)
                && m.attributes.equals(attributes) && m.nlri.equals(nlri);
    }

    @Override
    public int hashCode() {
        return (31 * withdrawn.hashCode() + attributes.hashCode()) * 31 + nlri.hashCode();
    }

    @Override
    public String toString() {
        return "UpdateMessage[withdrawn=" + withdrawn + ", attributes=" + attributes + ", nlri=" + nlri + "]";
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

    @SuppressWarnings("unchecked")
    public <T extends PathAttribute> Optional<T> attribute(Class<T> kind) {
        // exact class first: attribute kinds are final records (Class.isInstance is a slow call under C1)
        for (PathAttribute a : attributes) if (a.getClass() == kind) return Optional.of((T) a);
        if (java.lang.reflect.Modifier.isFinal(kind.getModifiers())) return Optional.empty();
        for (PathAttribute a : attributes) if (kind.isInstance(a)) return Optional.of(kind.cast(a));
        return Optional.empty();
    }

    /** All attributes except MP_REACH/MP_UNREACH, as the RIB interns them; computed once. */
    public Attributes pathAttributes() {
        Attributes p = pathAttributes;
        if (p == null) {
            List<PathAttribute> list = new ArrayList<>(attributes.size());
            for (PathAttribute a : attributes) {
                if (!(a instanceof PathAttribute.MpReach) && !(a instanceof PathAttribute.MpUnreach)) list.add(a);
            }
            p = list.size() == attributes.size() ? Attributes.sorted(attributes) : Attributes.sorted(List.copyOf(list));
            pathAttributes = p;
        }
        return p;
    }

    /** The MP_REACH_NLRI attribute, or null. */
    public PathAttribute.MpReach mpReach() {
        for (PathAttribute a : attributes) if (a instanceof PathAttribute.MpReach r) return r;
        return null;
    }

    /** The IPv4 NEXT_HOP attribute, or null. */
    public PathAttribute.NextHop nextHop() {
        Attributes p = pathAttributes;
        if (p != null) return p.nextHop();
        for (PathAttribute a : attributes) if (a instanceof PathAttribute.NextHop n) return n;
        return null;
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
            PathAttribute.NextHop n = nextHop();
            byte[] nh = n == null ? new byte[0] : n.bytes();
            for (Nlri x : nlri) out.add(new Announced(AfiSafi.IPV4_UNICAST, x, nh));
        }
        PathAttribute.MpReach r = mpReach();
        if (r != null) {
            byte[] nh = r.nextHop();
            for (Nlri x : r.nlri()) out.add(new Announced(r.afiSafi(), x, nh));
        }
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
