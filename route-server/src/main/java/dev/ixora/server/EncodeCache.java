package dev.ixora.server;

import dev.ixora.rib.ExportedRoute;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encode once (DESIGN.md "Threads and performance"): clients of one update group that drain the
 * same changes (the rib hands them the very same {@link ExportedRoute} instances) and receive them
 * the same way (same wire format, same export style: one sharing key) share one encoded buffer;
 * each channel gets a retained duplicate.
 *
 * <p>The unit of sharing is a {@link Chunk}: a run of drained routes that {@link ClientExport} cuts
 * at points that depend only on the prefixes (not on where a client's drain started or stopped),
 * so members whose drains are out of step, or that skip their own routes (RFC 7947: never back to
 * the source), still meet on the chunks in between. A chunk matches when its routes are the same
 * instances in the same order. The table is direct-mapped and small: a chunk is useful while the
 * group's members go past it, which they do together ({@link Routing#pump}). RIB thread only.
 *
 * <p>Buffers: the cache owns one reference to each chunk's buffer and releases it when the chunk is
 * evicted or on {@link #clear}; {@link ClientExport} writes retained duplicates.
 */
final class EncodeCache {
    /** The encoding of one run of routes: one buffer holding {@code updates} whole UPDATE messages. */
    static final class Chunk {
        final int key;
        final ExportedRoute[] routes;
        final ByteBuf encoded;
        final int updates;
        final int announced;
        final int withdrawn;
        int hits;

        Chunk(int key, ExportedRoute[] routes, ByteBuf encoded, int updates, int announced, int withdrawn) {
            this.key = key;
            this.routes = routes;
            this.encoded = encoded;
            this.updates = updates;
            this.announced = announced;
            this.withdrawn = withdrawn;
        }
    }

    /** Slots of the direct-mapped table (a power of two). */
    static final int SLOTS = 512;

    private final Chunk[] slots = new Chunk[SLOTS];
    private final Map<Object, Integer> keys = new HashMap<>();
    private final AtomicLong encodes = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();

    /** A small number for a sharing key (compared by value once, here, instead of per chunk). */
    int keyId(Object shareKey) {
        return keys.computeIfAbsent(shareKey, k -> keys.size());
    }

    /**
     * The cached chunk for {@code routes[from, to)} under sharing key {@code key}, or null.
     * {@code hash} is the chunk's hash, computed by the caller from its first prefix.
     */
    Chunk get(int key, int hash, List<ExportedRoute> routes, int from, int to) {
        Chunk c = slots[slot(key, hash, to - from)];
        if (c == null || c.key != key || c.routes.length != to - from) return null;
        ExportedRoute[] r = c.routes;
        for (int i = 0; i < r.length; i++) if (r[i] != routes.get(from + i)) return null;
        c.hits++;
        shared.incrementAndGet();
        return c;
    }

    /**
     * Offers a freshly encoded chunk; the cache owns its buffer from now on (it keeps it, or
     * releases it at once when the slot holds a chunk that others use: a member's private chunk,
     * e.g. one without its own routes, must not evict the group's).
     */
    void put(int key, int hash, Chunk c) {
        encodes.addAndGet(c.updates);
        int s = slot(key, hash, c.routes.length);
        Chunk old = slots[s];
        if (old != null && old.hits > 0 && old.key == key && old.routes.length > 0 && c.routes.length > 0
                && old.routes[0] == c.routes[0]) {
            c.encoded.release();
            return;
        }
        slots[s] = c;
        if (old != null) old.encoded.release();
    }

    /** Counts UPDATEs encoded outside chunks (ADD-PATH, End-of-RIB) in {@link #encodes}. */
    void countEncoded(int updates) {
        encodes.addAndGet(updates);
    }

    private static int slot(int key, int hash, int length) {
        int h = hash + 31 * length + 0x61C88647 * key;
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /** UPDATE messages encoded so far (each shared encoding counts once). */
    long encodes() {
        return encodes.get();
    }

    /** Chunks served from an encoding made for another client of the same group. */
    long sharedDrains() {
        return shared.get();
    }

    /** The buffers the cache holds now (tests: each must reach refCnt 0 after {@link #clear}). */
    List<ByteBuf> held() {
        List<ByteBuf> out = new ArrayList<>();
        for (Chunk c : slots) if (c != null) out.add(c.encoded);
        return out;
    }

    /** Releases every cached buffer. */
    void clear() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) slots[i].encoded.release();
            slots[i] = null;
        }
    }
}
