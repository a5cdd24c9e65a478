package dev.ixora.server;

import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import dev.ixora.rib.ExportedRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Encode once (DESIGN.md "Threads and performance"): clients of one update group that drain the
 * same changes (the rib hands them the very same {@link ExportedRoute} instances) and receive them
 * the same way (same wire format, same export style) share one encoded buffer; each channel gets a
 * retained duplicate. One entry per sharing key: the last drain encoded for it. RIB thread only.
 *
 * <p>Buffers: the cache owns one reference to each buffer it holds and releases it when the entry
 * is replaced or on {@link #clear}; callers get retained duplicates they hand to
 * {@code BgpSession.writeEncoded}, which owns them from then on.
 */
final class EncodeCache {
    private record Entry(ExportedRoute[] drained, List<ByteBuf> encoded) {}

    /** Recent drains kept per sharing key: a member's private extras must not evict the group's entry. */
    static final int PER_KEY = 4;

    private final Map<Object, ArrayDeque<Entry>> entries = new HashMap<>();
    private final AtomicLong encodes = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();

    /**
     * The encoded UPDATEs for {@code drained}, sent the way {@code shareKey} describes: from the
     * cache when the previous drain under the same key had the same route instances, otherwise
     * freshly encoded from {@code messages}. Returns retained duplicates the caller owns.
     */
    List<ByteBuf> encode(Object shareKey, List<ExportedRoute> drained, SessionCodecContext ctx,
                         Supplier<List<UpdateMessage>> messages) {
        ExportedRoute[] key = drained.toArray(new ExportedRoute[0]);
        ArrayDeque<Entry> recent = shareKey == null ? null : entries.get(shareKey);
        if (recent != null) {
            for (Entry e : recent) {
                if (sameInstances(e.drained, key)) {
                    shared.incrementAndGet();
                    return duplicates(e.encoded);
                }
            }
        }
        List<ByteBuf> bufs = new ArrayList<>();
        for (UpdateMessage m : messages.get()) {
            bufs.add(BgpMessageCodec.encode(m, ctx, ByteBufAllocator.DEFAULT));
            encodes.incrementAndGet();
        }
        if (shareKey == null || key.length == 0) return bufs;
        recent = entries.computeIfAbsent(shareKey, k -> new ArrayDeque<>());
        recent.addFirst(new Entry(key, bufs));
        if (recent.size() > PER_KEY) release(recent.removeLast().encoded);
        return duplicates(bufs);
    }

    private static boolean sameInstances(ExportedRoute[] a, ExportedRoute[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    private static List<ByteBuf> duplicates(List<ByteBuf> bufs) {
        List<ByteBuf> out = new ArrayList<>(bufs.size());
        for (ByteBuf b : bufs) out.add(b.retainedDuplicate());
        return out;
    }

    private static void release(List<ByteBuf> bufs) {
        for (ByteBuf b : bufs) b.release();
    }

    /** UPDATE messages encoded so far (each shared encoding counts once). */
    long encodes() {
        return encodes.get();
    }

    /** Drains served from an encoding made for another client of the same group. */
    long sharedDrains() {
        return shared.get();
    }

    /** The buffers the cache holds now (tests: each must reach refCnt 0 after {@link #clear}). */
    List<ByteBuf> held() {
        List<ByteBuf> out = new ArrayList<>();
        for (ArrayDeque<Entry> recent : entries.values()) for (Entry e : recent) out.addAll(e.encoded);
        return out;
    }

    /** Releases every cached buffer. */
    void clear() {
        for (ArrayDeque<Entry> recent : entries.values()) for (Entry e : recent) release(e.encoded);
        entries.clear();
    }
}
