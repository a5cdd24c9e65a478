package dev.ixora.rib;

/**
 * The outcome of comparing two paths: which one is preferred and the step that decided. Instances
 * are shared constants, so comparing allocates nothing.
 */
public record Decision(BestPathReason reason, boolean firstWins) {
    private static final Decision[] FIRST = new Decision[BestPathReason.values().length];
    private static final Decision[] SECOND = new Decision[BestPathReason.values().length];

    static {
        for (BestPathReason r : BestPathReason.values()) {
            FIRST[r.ordinal()] = new Decision(r, true);
            SECOND[r.ordinal()] = new Decision(r, false);
        }
    }

    /** @param cmp negative when the first path is preferred, positive when the second is */
    static Decision of(BestPathReason reason, int cmp) {
        return cmp < 0 ? FIRST[reason.ordinal()] : SECOND[reason.ordinal()];
    }
}
