package dev.ixora.server;

import dev.ixora.rib.ExportedRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
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
 * instances in the same order. Only a few recent chunks are kept: a chunk is useful while the
 * group's members go past it, which they do together, round by round ({@link Routing#pump}); and
 * whatever is kept outlives young collections and ends up in the old generation (with 512 chunks
 * kept, 1x1000000 peaked 25 MB higher). RIB thread only.
 *
 * <p>Buffers: the cache owns one reference to each chunk's buffer and releases it when the chunk is
 * evicted or on {@link #clear}; {@link ClientExport} writes retained duplicates. Chunk buffers come
 * from {@link #ALLOC}, not the pooled default: a cached buffer lives long next to the short-lived
 * ones, and in Netty's pools each would pin a whole chunk of the pool (measured on 1x1000000: 512
 * cached pooled buffers, +55 MB peak RSS). A chunk is encoded into a scratch buffer
 * ({@link #scratch}) and copied into a slice of a {@link #BLOCK}-byte block ({@link #copy}): one
 * direct allocation per block instead of one per chunk (a chunk is about 600 bytes: on 1x1000000
 * allocating and freeing them was 3% of the RIB thread). A block lives while a slice of it is
 * cached or being written; with {@link #SIZE} chunks cached that pins at most that many blocks.
 */
final class EncodeCache {
    /** The encoding of one run of routes: one buffer holding {@code updates} whole UPDATE messages. */
    static final class Chunk {
        final int key;
        /** The chunk's routes are {@code routes[0, length)} (the array may be longer: it is reused, {@link #routesArray}). */
        final ExportedRoute[] routes;
        final int length;
        final ByteBuf encoded;
        final int updates;
        final int announced;
        final int withdrawn;
        long lastUse;

        Chunk(int key, ExportedRoute[] routes, ByteBuf encoded, int updates, int announced, int withdrawn) {
            this(key, routes, routes.length, encoded, updates, announced, withdrawn);
        }

        Chunk(int key, ExportedRoute[] routes, int length, ByteBuf encoded, int updates, int announced, int withdrawn) {
            this.key = key;
            this.routes = routes;
            this.length = length;
            this.encoded = encoded;
            this.updates = updates;
            this.announced = announced;
            this.withdrawn = withdrawn;
        }
    }

    /** Where chunk buffers come from (see the class comment). */
    static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true);

    /** Chunks kept (least recently used goes first). */
    static final int SIZE = 32;

    /** Bytes of a block chunks are sliced from; a bigger chunk than a quarter of it gets its own buffer. */
    static final int BLOCK = 64 * 1024;

    private final Chunk[] chunks = new Chunk[SIZE];
    /** The block chunk copies go to now (the cache's reference), or null. */
    private ByteBuf block;
    private ByteBuf scratch;
    private long uses;
    private final Map<Object, Integer> keys = new HashMap<>();
    private final AtomicLong encodes = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();

    /** A small number for a sharing key (compared by value once, here, instead of per chunk). */
    int keyId(Object shareKey) {
        return keys.computeIfAbsent(shareKey, k -> keys.size());
    }

    /** The cached chunk for {@code routes[from, to)} under sharing key {@code key}, or null. */
    Chunk get(int key, ExportedRoute[] routes, int from, int to) {
        return find(key, routes, from, to, true);
    }

    /**
     * A chunk under sharing key {@code key} whose routes are {@code routes[from, from + its length)}
     * with that end at most {@code to}, or null: the group's chunk that starts here.
     */
    Chunk match(int key, ExportedRoute[] routes, int from, int to) {
        return find(key, routes, from, to, false);
    }

    /** The first chunk that is {@code routes[from, ...)} (of length exactly {@code to - from} when {@code exact}). */
    private Chunk find(int key, ExportedRoute[] routes, int from, int to, boolean exact) {
        ExportedRoute first = routes[from];
        for (Chunk c : chunks) {
            if (c == null || c.routes[0] != first || c.key != key) continue;
            ExportedRoute[] r = c.routes;
            int n = c.length;
            if (exact ? n != to - from : from + n > to) continue;
            int i = 1;
            while (i < n && r[i] == routes[from + i]) i++;
            if (i < n) continue;
            c.lastUse = ++uses;
            shared.incrementAndGet();
            return c;
        }
        return null;
    }

    /** Adds a freshly encoded chunk, in place of the least recently used; the cache owns its buffer from now on. */
    void put(int key, Chunk c) {
        encodes.addAndGet(c.updates);
        int victim = 0;
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] == null) {
                victim = i;
                break;
            }
            if (chunks[i].lastUse < chunks[victim].lastUse) victim = i;
        }
        Chunk gone = chunks[victim];
        if (gone != null) {
            gone.encoded.release();
            if (gone.routes.length == ROUTES_ARRAY && spare.size() < 4) { // its routes array serves the next chunk
                java.util.Arrays.fill(gone.routes, 0, gone.length, null);
                spare.push(gone.routes);
            }
        }
        c.lastUse = ++uses;
        chunks[victim] = c;
    }

    /** Entries of a reusable routes array: a chunk holds at most {@link ClientExport#CHUNK_MAX} routes. */
    static final int ROUTES_ARRAY = ClientExport.CHUNK_MAX;
    /** Routes arrays of evicted chunks, for new ones (no array per chunk). */
    private final java.util.ArrayDeque<ExportedRoute[]> spare = new java.util.ArrayDeque<>();

    /**
     * An array for the routes of a new chunk of {@code n} routes: one an evicted chunk left when
     * there is one (a chunk only lives in the cache, so its array is free once the chunk is evicted).
     */
    ExportedRoute[] routesArray(int n) {
        if (n > ROUTES_ARRAY) return new ExportedRoute[n];
        ExportedRoute[] a = spare.poll();
        return a != null ? a : new ExportedRoute[ROUTES_ARRAY];
    }

    /** An empty buffer to encode a chunk into, then {@link #copy}; the same one each time (RIB thread). */
    ByteBuf scratch() {
        if (scratch == null) scratch = ALLOC.heapBuffer(8192);
        return scratch.clear();
    }

    /**
     * A buffer of its own (one reference, the caller's) holding {@code src}'s readable bytes: a
     * slice of the current block, or for a big one a buffer of its size.
     */
    ByteBuf copy(ByteBuf src) {
        int n = src.readableBytes();
        if (n > BLOCK / 4) {
            ByteBuf own = ALLOC.directBuffer(n, n);
            own.writeBytes(src, src.readerIndex(), n);
            return own;
        }
        if (block == null || block.writableBytes() < n) {
            if (block != null) block.release(); // the slices still out keep it alive
            block = ALLOC.directBuffer(BLOCK, BLOCK);
        }
        int at = block.writerIndex();
        block.writeBytes(src, src.readerIndex(), n);
        return block.retainedSlice(at, n);
    }

    /** Counts UPDATEs encoded outside chunks (ADD-PATH, End-of-RIB) in {@link #encodes}. */
    void countEncoded(int updates) {
        encodes.addAndGet(updates);
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
        for (Chunk c : chunks) if (c != null) out.add(c.encoded);
        return out;
    }

    /** Releases every cached buffer, the current block and the scratch buffer. */
    void clear() {
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] != null) chunks[i].encoded.release();
            chunks[i] = null;
        }
        if (block != null) block.release();
        block = null;
        if (scratch != null) scratch.release();
        scratch = null;
        spare.clear();
    }
}
