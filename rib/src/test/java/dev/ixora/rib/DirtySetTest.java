package dev.ixora.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirtySetTest {
    @Test
    void pollsInFirstMarkedOrderEachIdOnce() {
        DirtySet s = new DirtySet();
        assertEquals(-1, s.poll());
        assertTrue(s.add(70));
        assertTrue(s.add(3));
        assertFalse(s.add(70), "already pending");
        assertTrue(s.add(1_000_000));
        assertEquals(3, s.size());
        assertTrue(s.contains(3));
        assertFalse(s.contains(4));
        assertFalse(s.contains(5_000_000), "beyond any id seen");
        assertEquals(70, s.poll());
        assertFalse(s.contains(70));
        assertTrue(s.add(70), "pending again after it was polled");
        assertEquals(List.of(3, 1_000_000, 70), drain(s));
        assertTrue(s.isEmpty());
    }

    @Test
    void agreesWithALinkedSetAcrossBigDrainsAndReuse() {
        Random rnd = new Random(7);
        DirtySet s = new DirtySet();
        LinkedHashSet<Integer> model = new LinkedHashSet<>();
        for (int round = 0; round < 5; round++) {
            int n = round % 2 == 0 ? 50_000 : 300;
            for (int k = 0; k < n; k++) {
                int id = rnd.nextInt(200_000);
                assertEquals(model.add(id), s.add(id));
                if (rnd.nextInt(4) == 0) {
                    int polled = s.poll();
                    int expected = model.iterator().next();
                    model.remove(expected);
                    assertEquals(expected, polled);
                }
            }
            assertEquals(model.size(), s.size());
            assertEquals(new ArrayList<>(model), drain(s));
            model.clear();
        }
        s.add(9);
        s.clear();
        assertTrue(s.isEmpty());
        assertFalse(s.contains(9));
    }

    private static List<Integer> drain(DirtySet s) {
        List<Integer> out = new ArrayList<>();
        for (int id = s.poll(); id >= 0; id = s.poll()) out.add(id);
        return out;
    }
}
