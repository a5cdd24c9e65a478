package dev.ixora.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The path attributes of a route, without MP_REACH_NLRI / MP_UNREACH_NLRI (those carry NLRI, not
 * route properties), sorted by type code, equal by value with a cached hash: the key the RIB
 * interns (one object per distinct attribute set).
 */
public final class Attributes {
    public static final Attributes EMPTY = new Attributes(List.of());

    private final List<PathAttribute> list;
    private final int hash;

    public Attributes(List<PathAttribute> attributes) {
        List<PathAttribute> sorted = new ArrayList<>(attributes.size());
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.MpReach || a instanceof PathAttribute.MpUnreach) {
                throw new IllegalArgumentException("MP_REACH/MP_UNREACH are not route attributes");
            }
            sorted.add(a);
        }
        sorted.sort(Comparator.comparingInt(PathAttribute::typeCode));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).typeCode() == sorted.get(i - 1).typeCode()) {
                throw new IllegalArgumentException("attribute type " + sorted.get(i).typeCode() + " twice");
            }
        }
        this.list = List.copyOf(sorted);
        this.hash = list.hashCode();
    }

    public List<PathAttribute> list() {
        return list;
    }

    public <T extends PathAttribute> Optional<T> get(Class<T> kind) {
        for (PathAttribute a : list) if (kind.isInstance(a)) return Optional.of(kind.cast(a));
        return Optional.empty();
    }

    /** This set with {@code attribute} added or replacing the one of its type code. */
    public Attributes with(PathAttribute attribute) {
        List<PathAttribute> out = new ArrayList<>(list.size() + 1);
        for (PathAttribute a : list) if (a.typeCode() != attribute.typeCode()) out.add(a);
        out.add(attribute);
        return new Attributes(out);
    }

    /** This set without the attribute of {@code typeCode}. */
    public Attributes without(int typeCode) {
        return new Attributes(list.stream().filter(a -> a.typeCode() != typeCode).toList());
    }

    public int size() {
        return list.size();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Attributes a && a.hash == hash && a.list.equals(list));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
