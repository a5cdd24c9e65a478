package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.AsPath;
import dev.ixora.codec.Attributes;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.rib.ExportPolicy;
import dev.ixora.rib.ExportedRoute;
import dev.ixora.rib.ImportPolicy;
import dev.ixora.rib.PeerInfo;
import dev.ixora.rib.Route;
import dev.ixora.rib.RouteAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of chunked encode-once: chunk boundaries, the last state of a prefix, the chunk cache. */
class ExportChunksTest {
    private static final RouteAttributes ATTRS = RouteAttributes.of(new Attributes(List.of(PathAttribute.Origin.IGP_ORIGIN,
            AsPath.sequence(64511))), new byte[] {10, 0, 0, 1});

    private static ExportedRoute route(String prefix) throws Exception {
        Prefix p = Prefix.parse(prefix);
        PeerInfo from = new PeerInfo(1, InetAddress.getByName("198.18.0.11"), 64511, 1, true, true,
                ImportPolicy.ACCEPT, ExportPolicy.ACCEPT);
        return new ExportedRoute(p, new Route(p, from, -1, ATTRS, false, null, false, 0));
    }

    private static ExportedRoute withdrawal(String prefix) {
        return new ExportedRoute(Prefix.parse(prefix), null);
    }

    /** {@link ClientExport#boundary} for a prefix (through a withdrawal of it: only its bits count). */
    private static boolean boundary(Prefix p) {
        return ClientExport.boundary(new ExportedRoute(p, null));
    }

    /** What {@link ClientExport.Superseded#mark} marks, as an array of the routes' length; null when nothing. */
    private static boolean[] superseded(ExportedRoute[] routes) {
        boolean[] s = new ClientExport.Superseded().mark(routes, routes.length);
        return s == null ? null : java.util.Arrays.copyOf(s, routes.length);
    }

    @Test
    void boundariesDependOnThePrefixAloneAndComeAboutEvery128() throws Exception {
        int cuts = 0;
        int n = 1 << 16;
        for (int i = 0; i < n; i++) { // consecutive /24s, the worst case for a weak hash
            Prefix p = Prefix.ipv4(0x0A000000 + (i << 8), 24);
            boolean b = boundary(p);
            assertEquals(b, boundary(Prefix.ipv4(0x0A000000 + (i << 8), 24)), "same prefix, same answer");
            if (b) cuts++;
        }
        int mean = n / (ClientExport.CHUNK_MASK + 1);
        assertTrue(cuts > mean / 2 && cuts < mean * 2, cuts + " boundaries in " + n + " prefixes");
        cuts = 0;
        for (int i = 0; i < n; i++) if (boundary(Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48"))) cuts++;
        assertTrue(cuts > mean / 2 && cuts < mean * 2, cuts + " IPv6 boundaries in " + n + " prefixes");
    }

    @Test
    void onlyTheLastStateOfAPrefixIsSent() throws Exception {
        ExportedRoute a1 = route("192.0.2.0/24");
        ExportedRoute b = route("198.51.100.0/24");
        ExportedRoute a2 = withdrawal("192.0.2.0/24");
        ExportedRoute c = route("203.0.113.0/24");
        ExportedRoute a3 = route("192.0.2.0/24");
        assertNull(superseded(new ExportedRoute[] {a1, b, c}));
        assertArrayEquals(new boolean[] {true, false, true, false, false},
                superseded(new ExportedRoute[] {a1, b, a2, c, a3}));
        // many routes: the table wraps around
        List<ExportedRoute> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) many.add(route("10." + (i >> 8) + "." + (i & 255) + ".0/24"));
        many.add(withdrawal("10.0.7.0/24"));
        boolean[] s = superseded(many.toArray(new ExportedRoute[0]));
        for (int i = 0; i < many.size(); i++) assertEquals(i == 7, s[i], "route " + i);
    }

    @Test
    void aChunkIsSharedOnlyForTheSameRouteInstances() throws Exception {
        EncodeCache cache = new EncodeCache();
        int key = cache.keyId(List.of("style", 1));
        assertEquals(key, cache.keyId(List.of("style", 1)), "equal sharing keys, one id");
        ExportedRoute[] routes = {route("192.0.2.0/24"), route("198.51.100.0/24")};
        ByteBuf buf = Unpooled.directBuffer(8).writeLong(1);
        EncodeCache.Chunk c = new EncodeCache.Chunk(key, routes.clone(), buf, 1, 2, 0);
        cache.put(key, c);
        assertSame(c, cache.get(key, routes, 0, 2));
        ExportedRoute[] padded = {route("203.0.113.0/24"), routes[0], routes[1]};
        assertSame(c, cache.get(key, padded, 1, 3), "a range of a bigger array");
        assertNull(cache.get(key, padded, 0, 2));
        assertNull(cache.get(key + 1, routes, 0, 2), "another sharing key");
        ExportedRoute[] equalButNew = {route("192.0.2.0/24"), route("198.51.100.0/24")};
        assertNull(cache.get(key, equalButNew, 0, 2), "equal values are not the same change: no sharing");
        assertEquals(2, cache.sharedDrains());
        assertEquals(1, cache.encodes());
    }

    @Test
    void theLeastRecentlyUsedChunkGoesAndEveryBufferIsReleased() throws Exception {
        EncodeCache cache = new EncodeCache();
        List<EncodeCache.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i <= EncodeCache.SIZE; i++) {
            ExportedRoute[] r = {route("10.0." + i + ".0/24")};
            EncodeCache.Chunk c = new EncodeCache.Chunk(0, r, Unpooled.directBuffer(4).writeInt(i), 1, 1, 0);
            chunks.add(c);
            cache.put(0, c);
            if (i == 0) continue;
            assertSame(chunks.get(0), cache.get(0, chunks.get(0).routes, 0, 1), "the first stays in use");
        }
        assertEquals(0, chunks.get(1).encoded.refCnt(), "the least recently used went, its buffer released");
        assertNull(cache.get(0, chunks.get(1).routes, 0, 1));
        List<ByteBuf> held = cache.held();
        assertEquals(EncodeCache.SIZE, held.size());
        cache.clear();
        for (ByteBuf b : held) assertEquals(0, b.refCnt());
    }

    @Test
    void reusedRoutesArraysAndBlockSlicesKeepChunksApartAndAllAreReleased() throws Exception {
        EncodeCache cache = new EncodeCache();
        ExportedRoute[] two = {route("192.0.2.0/24"), route("198.51.100.0/24")};
        ExportedRoute[] array = cache.routesArray(2);
        assertTrue(array.length >= 2);
        System.arraycopy(two, 0, array, 0, 2);
        ByteBuf scratch = cache.scratch().writeLong(0x0102030405060708L);
        ByteBuf copy = cache.copy(scratch);
        assertEquals(8, copy.readableBytes());
        assertEquals(0x0102030405060708L, copy.getLong(copy.readerIndex()));
        EncodeCache.Chunk c = new EncodeCache.Chunk(0, array, 2, copy, 1, 2, 0);
        cache.put(0, c);
        assertSame(c, cache.get(0, two, 0, 2), "the chunk is its first 2 entries, not the whole array");
        ExportedRoute[] three = {two[0], two[1], route("203.0.113.0/24")};
        assertNull(cache.get(0, three, 0, 3));
        assertSame(c, cache.match(0, three, 0, 3), "a chunk that starts here and fits");
        ByteBuf second = cache.copy(cache.scratch().writeInt(7)); // the next slice of the same block
        assertEquals(7, second.getInt(second.readerIndex()));
        assertEquals(0x0102030405060708L, copy.getLong(copy.readerIndex()), "slices do not overlap");
        second.release();
        for (int i = 0; i < EncodeCache.SIZE; i++) { // evict it
            cache.put(0, new EncodeCache.Chunk(0, new ExportedRoute[] {route("10.1." + i + ".0/24")},
                    Unpooled.directBuffer(4).writeInt(i), 1, 1, 0));
        }
        assertNull(cache.get(0, two, 0, 2));
        assertSame(array, cache.routesArray(1), "the evicted chunk's array is reused");
        assertNull(array[0]);
        assertNull(array[1]);
        ByteBuf big = cache.copy(cache.scratch().writeZero(EncodeCache.BLOCK / 2));
        assertEquals(EncodeCache.BLOCK / 2, big.readableBytes());
        big.release();
        List<ByteBuf> held = cache.held();
        cache.clear();
        for (ByteBuf b : held) assertEquals(0, b.refCnt());
        assertEquals(0, copy.refCnt(), "the block goes once its slices and the cache let go");
    }
}
