package dev.ixora.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.codec.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixTableTest {

    /** Every length of both families, host bits zero, including the edges of the hash's cases. */
    private static Prefix random(Random r, boolean v6) {
        if (!v6) {
            int len = r.nextInt(33);
            long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
            return new Prefix(0, r.nextLong() & mask, len, false);
        }
        int len = r.nextInt(10) == 0 ? new int[] {0, 1, 63, 64, 65, 127, 128}[r.nextInt(7)] : r.nextInt(129);
        long hi = r.nextLong(), lo = r.nextLong();
        long hiMask = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
        long loMask = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
        return new Prefix(hi & hiMask, lo & loMask, len, true);
    }

    @Test
    void findsWhatWasAddedAndNothingElse() {
        for (boolean v6 : new boolean[] {false, true}) {
            PrefixTable t = new PrefixTable(v6);
            Random r = new Random(v6 ? 6 : 4);
            Map<Prefix, Integer> slots = new HashMap<>();
            for (int i = 0; i < 200_000; i++) {
                Prefix p = random(r, v6);
                int s = t.findOrAdd(p);
                Integer before = slots.putIfAbsent(p, s);
                if (before != null) assertEquals(before, s, "same prefix, same slot: " + p);
            }
            assertEquals(slots.size(), t.slots());
            slots.forEach((p, s) -> {
                assertEquals(s, t.find(p), "find " + p);
                assertEquals(p, t.prefix(s));
            });
            Random other = new Random(99);
            for (int i = 0; i < 50_000; i++) {
                Prefix p = random(other, v6);
                assertEquals(slots.containsKey(p) ? slots.get(p) : -1, t.find(p));
            }
        }
    }

    @Test
    void sequentialPrefixesAndTheirMoreSpecificsStayDistinct() {
        PrefixTable t = new PrefixTable(false);
        // consecutive /24s (the locality case), every /32 of one /24 and the /25s to /31s over it
        for (int i = 0; i < 100_000; i++) t.findOrAdd(Prefix.ipv4((0x0A0000 + i) << 8, 24));
        int base = 0x0A000500;
        for (int host = 0; host < 256; host++) t.findOrAdd(Prefix.ipv4(base + host, 32));
        for (int len = 25; len <= 31; len++) t.findOrAdd(Prefix.ipv4(base, len));
        assertEquals(100_000 + 256 + 7, t.slots());
        assertEquals(5, t.find(Prefix.ipv4(0x0A000500, 24)));
        assertTrue(t.find(Prefix.ipv4(base + 255, 32)) >= 100_000);
        assertEquals(-1, t.find(Prefix.ipv4(0x0C000000, 24)));
    }

    @Test
    void pagesReadZeroUntilWrittenAndAllocateNothingForZeros() {
        Pages.Longs l = new Pages.Longs();
        Pages.Refs<String> refs = new Pages.Refs<>();
        assertEquals(0, l.get(10_000_000));
        l.set(10_000_000, 0); // no page for a zero
        l.set(Pages.PAGE * 3 + 5, 42);
        assertEquals(42, l.get(Pages.PAGE * 3 + 5));
        assertEquals(0, l.get(Pages.PAGE * 3 + 6));
        assertNull(refs.get(77));
        refs.set(77, "x");
        assertEquals("x", refs.get(77));
        refs.set(77, null);
        assertNull(refs.get(77));
    }
}
