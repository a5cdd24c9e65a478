package dev.ixora.rib;

import dev.ixora.codec.Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer of the Loc-RIB change stream (SDN bridge, metrics, MRT dumps). State-based: it holds
 * the set of prefixes that changed since it last drained, each once, however many times they
 * changed (DESIGN.md: a slow consumer makes a set grow, never a queue of messages). The consumer
 * then reads the current state ({@link Rib#best}, {@link Rib#paths}). Confined to the RIB thread:
 * drain inside {@link RibExecutor#call}.
 */
public final class ChangeSubscription {
    private final Rib rib;
    private final boolean allPaths;
    private final Runnable onPending;
    private final DirtySet dirty = new DirtySet();
    private boolean closed;

    ChangeSubscription(Rib rib, boolean allPaths, Runnable onPending) {
        this.rib = rib;
        this.allPaths = allPaths;
        this.onPending = onPending;
    }

    /** True: every change of a prefix's path set; false: only changes of its best path. */
    public boolean allPaths() {
        return allPaths;
    }

    public int pending() {
        return dirty.size();
    }

    /** Up to {@code max} changed prefixes, oldest change first; each leaves the pending set. */
    public List<Prefix> drain(int max) {
        List<Prefix> out = new ArrayList<>(Math.min(max, dirty.size()));
        for (int n = 0; n < max; n++) {
            int id = dirty.poll();
            if (id < 0) break;
            out.add(rib.prefixOf(id));
        }
        return out;
    }

    /** Like {@link #drain}, with each prefix's current best route (null: no route any more). */
    public List<ExportedRoute> drainBest(int max) {
        List<ExportedRoute> out = new ArrayList<>(Math.min(max, dirty.size()));
        for (int n = 0; n < max; n++) {
            int id = dirty.poll();
            if (id < 0) break;
            Prefix p = rib.prefixOf(id);
            out.add(new ExportedRoute(p, rib.best(p)));
        }
        return out;
    }

    public void close() {
        closed = true;
        dirty.clear();
        rib.unsubscribe(this);
    }

    /** Called by the RIB for a changed prefix; true when the set went from empty to non-empty. */
    boolean mark(int id) {
        if (closed) return false;
        boolean wasEmpty = dirty.isEmpty();
        return dirty.add(id) && wasEmpty;
    }

    void notifyPending() {
        if (onPending != null) onPending.run();
    }
}
