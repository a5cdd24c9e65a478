package dev.ixora.codec;

import java.util.List;

/**
 * The decoder state of one session, for {@link UpdateCodec#decodeBody(io.netty.buffer.ByteBuf,
 * SessionCodecContext, AttributeCache)}: recently decoded path attribute sets, keyed by their raw
 * bytes. A full-table feed sends the same attribute bytes in many UPDATEs; a hit reuses the
 * decoded, already-validated attributes (and the same {@link Attributes} object, so what consumers
 * derive from it is derived once) instead of decoding them again.
 *
 * <p>What is cached is exactly what RFC 7606 handling cannot tell apart: only attribute sets that
 * decoded without any problem, keyed by every byte except MP_REACH_NLRI / MP_UNREACH_NLRI (those
 * carry NLRI and are decoded for each message) and by the one session property their decoding
 * reads (4-octet AS). The checks that depend on the rest of the message (well-known mandatory
 * attributes present for the NLRI carried) run on every message. Not thread-safe: one per
 * session, used on its event loop.
 */
public final class AttributeCache {
    /** Direct-mapped slots (a power of two). */
    static final int SLOTS = 32;
    /** Longer attribute fields are decoded every time (bounds the memory one session keeps). */
    static final int MAX_KEY = 512;
    /** Longer messages are copied to an array of their own, not kept (RFC 8654 allows 65535 bytes). */
    static final int MAX_SCRATCH = 4096;

    private final Entry[] slots = new Entry[SLOTS];
    /** The entry the last UPDATE used (looked at first: a feed repeats one set many times in a row). */
    Entry last;
    /** Scratch copy of the UPDATE body being decoded; reused, never referenced after a decode. */
    byte[] scratch = new byte[256];
    long hits;
    long misses;

    /** Hits and misses so far (tests, metrics). */
    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    byte[] scratch(int length) {
        if (length > MAX_SCRATCH) return new byte[length];
        if (scratch.length < length) scratch = new byte[Math.min(MAX_SCRATCH, Math.max(length, 2 * scratch.length))];
        return scratch;
    }

    Entry get(int hash) {
        return slots[index(hash)];
    }

    void put(Entry e) {
        slots[index(e.hash)] = e;
    }

    private static int index(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    /**
     * One decoded attribute set: the key (the non-MP attribute bytes, in wire order), the
     * attributes sorted by type code (after the RFC 6793 merge on a 2-octet session) as an
     * immutable list and as {@link Attributes}, and which well-known mandatory ones it holds.
     */
    record Entry(byte[] key, int hash, boolean fourOctetAs, List<PathAttribute> attributes, Attributes pathAttributes,
                 boolean origin, boolean asPath, boolean nextHop) {}
}
