package dev.ixora.rib;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RibExecutor.class);
    /** At most this many queued batches are merged into one {@link Rib#applyAll} (bounds the latency of reads). */
    static final int MAX_MERGE = 1024;

    private final Rib rib;
    /**
     * Work for the RIB thread, in submission order: batches ({@link Batch}) and readers
     * ({@link Runnable}). Producers (event loops) only append; the thread is woken once per idle
     * period, not per item, and merges the batches that queued up meanwhile into one
     * {@link Rib#applyAll}: one recompute per touched prefix and one export wake-up per client for
     * all of them, instead of one per UPDATE.
     */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ExecutorService thread;
    private final ScheduledExecutorService timers;
    private final AtomicInteger pending = new AtomicInteger();
    private final int staleTimeSeconds;
    private volatile boolean closed;

    /** {@code weight}: what the batch counts for in {@link #pendingBatches} (1, or what {@link #offer(List, int)} said). */
    private record Batch(List<? extends RibEvent> events, CompletableFuture<Void> done, int weight) {}

    /** RIB thread: the event lists of the batches being merged (reused). */
    private final List<List<? extends RibEvent>> mergedEvents = new ArrayList<>();

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
     * Queues a batch; the future completes once it is applied and its changes are published (it
     * fails when the rib refuses the batch). A {@link RibEvent.PeerDown} with graceful restart
     * starts its restart timer here.
     */
    public CompletableFuture<Void> submit(List<? extends RibEvent> batch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Batch(List.copyOf(batch), done, 1));
        return done;
    }

    /**
     * Queues a batch without a future, counting 1 in {@link #pendingBatches}. The list is taken as
     * it is: the caller must not change it afterwards. A refused batch is logged.
     */
    public void offer(List<? extends RibEvent> batch) {
        offer(batch, 1);
    }

    /**
     * As {@link #offer(List)}, for a batch that counts {@code weight} in {@link #pendingBatches}
     * until it is applied: a session that hands on the UPDATEs of one read together counts UPDATEs,
     * so that its flow control does not depend on how they were grouped.
     */
    public void offer(List<? extends RibEvent> batch, int weight) {
        if (weight < 1) throw new IllegalArgumentException("weight " + weight);
        enqueue(new Batch(batch, null, weight));
    }

    private void enqueue(Object work) {
        if (closed) throw new RejectedExecutionException("rib executor closed");
        if (work instanceof Batch b) pending.addAndGet(b.weight());
        inbox.add(work);
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                throw e;
            }
        }
    }

    /**
     * RIB thread: runs everything queued, in order, merging consecutive batches; returns when the
     * inbox is empty. A producer that finds {@link #scheduled} set relies on this loop to see its
     * item, hence the check after clearing it.
     */
    private void drain() {
        List<Batch> merged = new ArrayList<>();
        for (;;) {
            Object work;
            while ((work = inbox.poll()) != null) {
                if (work instanceof Batch b) {
                    merged.add(b);
                    if (merged.size() >= MAX_MERGE) applyMerged(merged);
                } else {
                    applyMerged(merged); // a reader sees every batch queued before it
                    ((Runnable) work).run();
                }
            }
            applyMerged(merged);
            scheduled.set(false);
            if (inbox.isEmpty() || !scheduled.compareAndSet(false, true)) return;
        }
    }

    private void applyMerged(List<Batch> merged) {
        if (merged.isEmpty()) return;
        List<List<? extends RibEvent>> events = mergedEvents;
        for (int b = 0, n = merged.size(); b < n; b++) events.add(merged.get(b).events());
        RuntimeException[] refused;
        try {
            refused = rib.applyAll(events);
        } catch (RuntimeException e) {
            events.clear();
            LOG.error("rib batch failed", e);
            for (Batch b : merged) if (b.done() != null) b.done().completeExceptionally(e);
            pending.addAndGet(-weight(merged));
            merged.clear();
            return;
        }
        events.clear();
        pending.addAndGet(-weight(merged));
        // timers carry the epoch after the batches: only the peer's last session event may start one
        java.util.BitSet seen = null;
        for (int b = merged.size() - 1; b >= 0; b--) {
            if (refused != null && refused[b] != null) continue;
            List<? extends RibEvent> batch = merged.get(b).events();
            for (int k = batch.size() - 1; k >= 0; k--) {
                RibEvent e = batch.get(k);
                if (!(e instanceof RibEvent.PeerUp || e instanceof RibEvent.PeerDown)) continue;
                if (seen == null) seen = new java.util.BitSet();
                if (seen.get(e.peerId())) continue;
                seen.set(e.peerId());
                if (e instanceof RibEvent.PeerDown d && d.gracefulRestart() && d.restartTimeSeconds() > 0) {
                    startTimer(d.peerId(), d.restartTimeSeconds());
                } else if (e instanceof RibEvent.PeerUp up) {
                    startTimer(up.peerId(), staleTimeSeconds); // sweeps nothing unless a restart left stale paths
                }
            }
        }
        for (int b = 0; b < merged.size(); b++) {
            CompletableFuture<Void> done = merged.get(b).done();
            if (refused != null && refused[b] != null) {
                if (done != null) done.completeExceptionally(refused[b]);
                else LOG.error("rib refused a batch: {}", refused[b].getMessage());
            } else if (done != null) {
                done.complete(null);
            }
        }
        merged.clear();
    }

    private static int weight(List<Batch> merged) {
        int w = 0;
        for (int b = 0, n = merged.size(); b < n; b++) w += merged.get(b).weight();
        return w;
    }

    /** RFC 4724 section 4.2: when the timer fires, paths still stale are deleted (if its epoch is current). */
    private void startTimer(int peerId, int seconds) {
        long epoch = rib.restartEpoch(peerId);
        timers.schedule(() -> {
            try {
                enqueue((Runnable) () -> rib.apply(List.of(new RibEvent.RestartTimerExpired(peerId, epoch))));
            } catch (RejectedExecutionException closedMeanwhile) {
                // closed meanwhile: nothing left to expire
            }
        }, seconds, TimeUnit.SECONDS);
    }

    /** Runs {@code reader} on the RIB thread (reads, drains, subscriptions) and returns its result. */
    public <T> CompletableFuture<T> call(Function<Rib, T> reader) {
        CompletableFuture<T> f = new CompletableFuture<>();
        enqueue((Runnable) () -> {
            try {
                f.complete(reader.apply(rib));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /**
     * Batches submitted and not yet applied, each counted with its weight (1 unless {@link
     * #offer(List, int)} gave another): a session can stop reading its socket when this grows.
     */
    public int pendingBatches() {
        return pending.get();
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        thread.shutdownNow();
    }
}
