package dev.ixora.rib;

import static dev.ixora.rib.Fixtures.announce;
import static dev.ixora.rib.Fixtures.attrs;
import static dev.ixora.rib.Fixtures.p;
import static dev.ixora.rib.Fixtures.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RibExecutorTest {

    @Test
    void allMutationAndReadsRunOnTheRibThread() throws Exception {
        try (RibExecutor ex = new RibExecutor(new Rib(), "rib-test")) {
            CompletableFuture<?>[] all = new CompletableFuture<?>[8];
            ex.submit(List.of(new RibEvent.PeerUp(peer(1)), new RibEvent.PeerUp(peer(2)))).get(10, TimeUnit.SECONDS);
            for (int t = 0; t < all.length; t++) {
                int peerId = 1 + t % 2;
                all[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 50; i++) ex.submit(List.of(announce(peerId, attrs(peerId, 1 + peerId, -1), "10." + peerId + "." + i + ".0/24")));
                });
            }
            CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
            String thread = ex.call(r -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertEquals("rib-test", thread);
            assertEquals(100L, ex.call(Rib::routeCount).get(10, TimeUnit.SECONDS));
            assertEquals(0, ex.pendingBatches());
        }
    }

    /** A batch offered with a weight counts that much in pendingBatches until it is applied, in order with the others. */
    @Test
    void aWeightedBatchCountsItsWeightUntilApplied() throws Exception {
        try (RibExecutor ex = new RibExecutor(new Rib(), "rib-weight")) {
            ex.submit(List.of(new RibEvent.PeerUp(peer(1)))).get(10, TimeUnit.SECONDS);
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            ex.call(r -> { // keeps the RIB thread busy while the batches queue up
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            ex.offer(List.of(announce(1, attrs(1, 2, -1), "10.0.0.0/24"), announce(1, attrs(1, 2, -1), "10.0.1.0/24")), 40);
            ex.offer(List.of(new RibEvent.Withdraw(1, List.of(dev.ixora.codec.Nlri.parse("10.0.0.0/24")))), 1);
            ex.offer(List.of(announce(1, attrs(1, 3, -1), "10.0.2.0/24")));
            assertEquals(42, ex.pendingBatches());
            hold.countDown();
            assertEquals(2L, ex.call(Rib::routeCount).get(10, TimeUnit.SECONDS), "announced, withdrawn in order");
            assertEquals(0, ex.pendingBatches());
            assertThrows(IllegalArgumentException.class, () -> ex.offer(List.of(), 0));
        }
    }

    @Test
    void theRestartTimerSweepsStalePaths() throws Exception {
        try (RibExecutor ex = new RibExecutor(new Rib(), "rib-gr")) {
            ex.submit(List.of(new RibEvent.PeerUp(peer(1)), announce(1, attrs(1, 1, -1), "203.0.113.0/24"),
                    new RibEvent.PeerDown(1, true, 1))).get(10, TimeUnit.SECONDS);
            assertTrue(ex.call(r -> r.best(p("203.0.113.0/24")).stale()).get(10, TimeUnit.SECONDS));
            Route after = null;
            for (int i = 0; i < 100; i++) { // waits for the 1 s timer, bounded; asserts the outcome, not the time
                Thread.sleep(100);
                after = ex.call(r -> r.best(p("203.0.113.0/24"))).get(10, TimeUnit.SECONDS);
                if (after == null) break;
            }
            assertNull(after);
        }
    }
}
