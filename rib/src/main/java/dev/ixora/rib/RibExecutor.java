package dev.ixora.rib;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one thread that owns a {@link Rib} (DESIGN.md "Threads and performance": a single writer, no
 * locks). Sessions submit batches of events; readers (looking glass, export) run functions on the
 * same thread and get a consistent view. Also runs the RFC 4724 restart timers.
 */
public final class RibExecutor implements AutoCloseable {
    private final Rib rib;
    /**
     * Plain FIFO queue: every received UPDATE is a task here, and a scheduled executor's delay heap
     * (a lock and a sift per task) showed in profiles; timers live on {@link #timers}, which only
     * hands their work to this thread.
     */
    private final ExecutorService thread;
    private final ScheduledExecutorService timers;
    private final AtomicInteger pending = new AtomicInteger();
    private final int staleTimeSeconds;

    /**
     * @param staleTimeSeconds how long paths kept stale across a graceful restart may wait for
     *                         End-of-RIB once the peer is back (RFC 4724 section 4.2 leaves it local;
     *                         FRR's default stalepath-time is 360)
     */
    public RibExecutor(Rib rib, String name, int staleTimeSeconds) {
        this.rib = rib;
        this.staleTimeSeconds = staleTimeSeconds;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-timers");
            t.setDaemon(true);
            return t;
        });
    }

    public RibExecutor(Rib rib, String name) {
        this(rib, name, 360);
    }

    public RibExecutor(Rib rib) {
        this(rib, "ixora-rib");
    }

    /**
     * Queues a batch; the future completes once it is applied and its changes are published.
     * A {@link RibEvent.PeerDown} with graceful restart starts its restart timer here.
     */
    public CompletableFuture<Void> submit(List<? extends RibEvent> batch) {
        List<RibEvent> copy = List.copyOf(batch);
        pending.incrementAndGet();
        return CompletableFuture.runAsync(() -> {
            try {
                rib.apply(copy);
                // timers carry the epoch after the batch: only the peer's last session event may start one
                java.util.BitSet seen = new java.util.BitSet();
                for (int k = copy.size() - 1; k >= 0; k--) {
                    RibEvent e = copy.get(k);
                    if (!(e instanceof RibEvent.PeerUp || e instanceof RibEvent.PeerDown) || seen.get(e.peerId())) continue;
                    seen.set(e.peerId());
                    if (e instanceof RibEvent.PeerDown d && d.gracefulRestart() && d.restartTimeSeconds() > 0) {
                        startTimer(d.peerId(), d.restartTimeSeconds());
                    } else if (e instanceof RibEvent.PeerUp up) {
                        startTimer(up.peerId(), staleTimeSeconds); // sweeps nothing unless a restart left stale paths
                    }
                }
            } finally {
                pending.decrementAndGet();
            }
        }, thread);
    }

    /** RFC 4724 section 4.2: when the timer fires, paths still stale are deleted (if its epoch is current). */
    private void startTimer(int peerId, int seconds) {
        long epoch = rib.restartEpoch(peerId);
        timers.schedule(() -> {
            try {
                thread.execute(() -> rib.apply(List.of(new RibEvent.RestartTimerExpired(peerId, epoch))));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closed meanwhile: nothing left to expire
            }
        }, seconds, TimeUnit.SECONDS);
    }

    /** Runs {@code reader} on the RIB thread (reads, drains, subscriptions) and returns its result. */
    public <T> CompletableFuture<T> call(Function<Rib, T> reader) {
        return CompletableFuture.supplyAsync(() -> reader.apply(rib), thread);
    }

    /** Batches submitted and not yet applied: a session can stop reading its socket when this grows. */
    public int pendingBatches() {
        return pending.get();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        thread.shutdownNow();
    }
}
