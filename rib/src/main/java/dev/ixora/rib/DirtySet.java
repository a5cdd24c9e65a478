package dev.ixora.rib;

/**
 * A set of prefix ids waiting to be sent, in first-marked order, each id at most once. This is the
 * state-based export of DESIGN.md: marking an id already pending costs nothing, so a slow consumer
 * makes this set grow up to the number of prefixes and never beyond. Not thread-safe (RIB thread).
 *
 * <p>Membership: open addressing with linear probing and backward-shift deletion; order: an int ring.
 */
final class DirtySet {
    private static final int FREE = -1;

    private int[] slots = newSlots(16);
    private int members;
    private int[] ring = new int[16];
    private int head;
    private int count;

    int size() {
        return members;
    }

    boolean isEmpty() {
        return members == 0;
    }

    /** Adds {@code id} (>= 0); false when it was already pending. */
    boolean add(int id) {
        if ((members + 1) * 2 > slots.length) rehash(slots.length * 2);
        int mask = slots.length - 1;
        int i = mix(id) & mask;
        while (slots[i] != FREE) {
            if (slots[i] == id) return false;
            i = (i + 1) & mask;
        }
        slots[i] = id;
        members++;
        if (count == ring.length) growRing();
        ring[(head + count) & (ring.length - 1)] = id;
        count++;
        return true;
    }

    boolean contains(int id) {
        int mask = slots.length - 1;
        for (int i = mix(id) & mask; slots[i] != FREE; i = (i + 1) & mask) {
            if (slots[i] == id) return true;
        }
        return false;
    }

    /** Removes and returns the oldest pending id, or -1 when empty. */
    int poll() {
        if (count == 0) return -1;
        int id = ring[head];
        head = (head + 1) & (ring.length - 1);
        count--;
        removeMember(id);
        if (count == 0 && ring.length > 1024) { // give memory back after a big drain
            ring = new int[16];
            head = 0;
            slots = newSlots(16);
        }
        return id;
    }

    void clear() {
        slots = newSlots(16);
        ring = new int[16];
        head = count = members = 0;
    }

    private void removeMember(int id) {
        int mask = slots.length - 1;
        int i = mix(id) & mask;
        while (slots[i] != id) i = (i + 1) & mask;
        // backward-shift deletion keeps every probe chain unbroken without tombstones
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != FREE; j = (j + 1) & mask) {
            int home = mix(slots[j]) & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = FREE;
        members--;
    }

    private void rehash(int capacity) {
        int[] old = slots;
        slots = newSlots(capacity);
        int mask = capacity - 1;
        for (int id : old) {
            if (id == FREE) continue;
            int i = mix(id) & mask;
            while (slots[i] != FREE) i = (i + 1) & mask;
            slots[i] = id;
        }
    }

    private void growRing() {
        int[] bigger = new int[ring.length * 2];
        for (int k = 0; k < count; k++) bigger[k] = ring[(head + k) & (ring.length - 1)];
        ring = bigger;
        head = 0;
    }

    private static int[] newSlots(int capacity) {
        int[] a = new int[capacity];
        java.util.Arrays.fill(a, FREE);
        return a;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
