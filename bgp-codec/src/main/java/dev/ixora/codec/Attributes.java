package dev.ixora.codec;

import java.util.ArrayList;
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
    /**
     * One value a consumer derives from this set and keeps with it (the RIB's view of the set for
     * a next hop), so that UPDATEs sharing one decoded set derive it once. Not part of the value:
     * ignored by equals/hashCode. Written without synchronisation: it must hold an immutable object
     * whose fields are final; a lost or stale write only costs a recomputation.
     */
    private Object memo;

    public Attributes(List<PathAttribute> attributes) {
        List<PathAttribute> sorted = new ArrayList<>(attributes.size());
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.MpReach || a instanceof PathAttribute.MpUnreach) {
                throw new IllegalArgumentException("MP_REACH/MP_UNREACH are not route attributes");
            }
            sorted.add(a);
        }
        sorted.sort((x, y) -> Integer.compare(x.typeCode(), y.typeCode()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).typeCode() == sorted.get(i - 1).typeCode()) {
                throw new IllegalArgumentException("attribute type " + sorted.get(i).typeCode() + " twice");
            }
        }
        this.list = List.copyOf(sorted);
        this.hash = list.hashCode();
    }

    private Attributes(List<PathAttribute> immutableSorted, boolean trusted) {
        this.list = immutableSorted;
        this.hash = immutableSorted.hashCode();
    }

    /**
     * From a list already immutable ({@code List.copyOf}/{@code List.of}), sorted by type code with
     * each type once and without MP_REACH/MP_UNREACH: what the decoder has; not copied again.
     */
    static Attributes sorted(List<PathAttribute> immutableSorted) {
        return new Attributes(immutableSorted, true);
    }

    public List<PathAttribute> list() {
        return list;
    }

    @SuppressWarnings("unchecked")
    public <T extends PathAttribute> Optional<T> get(Class<T> kind) {
        // exact class first: attribute kinds are final records (Class.isInstance is a slow call under C1)
        for (PathAttribute a : list) if (a.getClass() == kind) return Optional.of((T) a);
        if (java.lang.reflect.Modifier.isFinal(kind.getModifiers())) return Optional.empty();
        for (PathAttribute a : list) if (kind.isInstance(a)) return Optional.of(kind.cast(a));
        return Optional.empty();
    }

    /** The NEXT_HOP attribute, or null. */
    public PathAttribute.NextHop nextHop() {
        for (PathAttribute a : list) {
            if (a.typeCode() == PathAttribute.NEXT_HOP) return (PathAttribute.NextHop) a;
            if (a.typeCode() > PathAttribute.NEXT_HOP) break;
        }
        return null;
    }

    /** See {@link #memo}: the value last kept with this set, or null. */
    public Object memo() {
        return memo;
    }

    /** See {@link #memo}: {@code value} must be immutable (final fields only). */
    public void memo(Object value) {
        memo = value;
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
