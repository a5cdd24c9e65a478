package dev.ixora.rib;

import java.util.Arrays;

/**
 * The BGP decision process, RFC 4271 section 9.1.2.2, plus the tie-breakers most implementations
 * add. Paths reaching {@link #compare} are already eligible: RFC 4271 9.1.2 drops paths with an
 * unresolvable NEXT_HOP before this point (the caller checks {@link PathView#igpCost()} first).
 *
 * <p>Steps, in order (each step method returns a negative number when {@code a} is preferred):
 * <ol>
 *   <li>highest LOCAL_PREF (9.1.1: degree of preference)</li>
 *   <li>shortest AS_PATH (9.1.2.2 a; AS_SET counts 1, confederation segments 0)</li>
 *   <li>lowest ORIGIN (9.1.2.2 b)</li>
 *   <li>lowest MED, only between paths from the same neighbour AS unless always-compare-med (9.1.2.2 c)</li>
 *   <li>eBGP over iBGP (9.1.2.2 d)</li>
 *   <li>lowest interior cost to the NEXT_HOP (9.1.2.2 e)</li>
 *   <li>the older of two eBGP paths, when enabled (RFC 5004; departs from RFC 4271, off by default)</li>
 *   <li>lowest router id: ORIGINATOR_ID when present (RFC 4456 section 9), else the peer's BGP Identifier (9.1.2.2 f)</li>
 *   <li>shortest CLUSTER_LIST (RFC 4456 section 9)</li>
 *   <li>lowest peer address (9.1.2.2 g)</li>
 *   <li>lowest ADD-PATH path id: two paths of one peer can tie on everything above (RFC 7911)</li>
 * </ol>
 * Two paths still equal after every step are the same path twice: that is a bug, never a silent tie.
 */
public final class DecisionProcess {
    private static final long MED_WORST = 1L << 32;

    private final DecisionOptions options;

    public DecisionProcess(DecisionOptions options) {
        this.options = options;
    }

    public DecisionOptions options() {
        return options;
    }

    /** Compares two eligible paths; one flat pass over the steps, the first that differs decides. */
    public Decision compare(PathView a, PathView b) {
        int c;
        if ((c = localPref(a, b)) != 0) return Decision.of(BestPathReason.LOCAL_PREF, c);
        if ((c = asPathLength(a, b)) != 0) return Decision.of(BestPathReason.AS_PATH_LENGTH, c);
        if ((c = origin(a, b)) != 0) return Decision.of(BestPathReason.ORIGIN, c);
        if ((c = med(a, b)) != 0) return Decision.of(BestPathReason.MED, c);
        if ((c = ebgpOverIbgp(a, b)) != 0) return Decision.of(BestPathReason.EBGP_OVER_IBGP, c);
        if ((c = igpCost(a, b)) != 0) return Decision.of(BestPathReason.IGP_COST, c);
        if ((c = olderEbgp(a, b)) != 0) return Decision.of(BestPathReason.OLDER_EBGP, c);
        if ((c = routerId(a, b)) != 0) return Decision.of(BestPathReason.ROUTER_ID, c);
        if ((c = clusterListLength(a, b)) != 0) return Decision.of(BestPathReason.CLUSTER_LIST_LENGTH, c);
        if ((c = peerAddress(a, b)) != 0) return Decision.of(BestPathReason.PEER_ADDRESS, c);
        if ((c = pathId(a, b)) != 0) return Decision.of(BestPathReason.PATH_ID, c);
        throw new IllegalStateException("a politician in the decision process: " + a + " vs " + b);
    }

    static int localPref(PathView a, PathView b) {
        return Long.compare(b.localPref(), a.localPref());
    }

    static int asPathLength(PathView a, PathView b) {
        return Integer.compare(a.asPathLength(), b.asPathLength());
    }

    static int origin(PathView a, PathView b) {
        return Integer.compare(a.origin(), b.origin());
    }

    int med(PathView a, PathView b) {
        // RFC 4271 9.1.2.2 c): MEDs are only comparable between routes from the same neighbour AS.
        if (!options.alwaysCompareMed() && a.neighborAs() != b.neighborAs()) return 0;
        return Long.compare(medValue(a), medValue(b));
    }

    private long medValue(PathView p) {
        long med = p.med();
        // RFC 4271 9.1.2.2 c): a missing MED is 0; the option makes it worse than any real value.
        if (med < 0) return options.missingMedAsWorst() ? MED_WORST : 0;
        return med;
    }

    static int ebgpOverIbgp(PathView a, PathView b) {
        return Boolean.compare(b.ebgp(), a.ebgp());
    }

    static int igpCost(PathView a, PathView b) {
        return Long.compare(a.igpCost(), b.igpCost());
    }

    int olderEbgp(PathView a, PathView b) {
        // RFC 5004 section 2: only between two external paths, and only when asked for.
        if (!options.preferOlderEbgp() || !a.ebgp() || !b.ebgp()) return 0;
        return Long.compare(a.arrival(), b.arrival());
    }

    static int routerId(PathView a, PathView b) {
        return Long.compare(routerIdOf(a), routerIdOf(b));
    }

    private static long routerIdOf(PathView p) {
        // RFC 4456 section 9: ORIGINATOR_ID replaces the BGP Identifier when present.
        return p.originatorId() >= 0 ? p.originatorId() : p.peerRouterId();
    }

    static int clusterListLength(PathView a, PathView b) {
        return Integer.compare(a.clusterListLength(), b.clusterListLength());
    }

    static int peerAddress(PathView a, PathView b) {
        byte[] x = a.peerAddress();
        byte[] y = b.peerAddress();
        if (x.length != y.length) return Integer.compare(x.length, y.length); // IPv4 sessions first
        return Arrays.compareUnsigned(x, y);
    }

    static int pathId(PathView a, PathView b) {
        return Long.compare(a.pathId(), b.pathId());
    }

    /**
     * Index of the best of {@code paths[0..n)}, or -1 when {@code n == 0}. All given paths must be
     * eligible. Without deterministic MED the scan runs in array order (callers keep a canonical
     * order so the result never depends on arrival order).
     */
    public int best(PathView[] paths, int n) {
        if (n == 0) return -1;
        if (options.deterministicMed() && !options.alwaysCompareMed()) return bestDeterministic(paths, n);
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (!compare(paths[best], paths[i]).firstWins()) best = i;
        }
        return best;
    }

    /** Deterministic MED: best per neighbour AS first, then the best of those group winners. */
    private int bestDeterministic(PathView[] paths, int n) {
        int best = -1;
        long doneMask = 0; // small sets: a bit per index for the first 64, rescans beyond
        boolean[] done = n > 64 ? new boolean[n] : null;
        for (int i = 0; i < n; i++) {
            if (isDone(done, doneMask, i)) continue;
            long as = paths[i].neighborAs();
            int groupBest = i;
            for (int j = i + 1; j < n; j++) {
                if (paths[j].neighborAs() != as) continue;
                if (done != null) done[j] = true; else doneMask |= 1L << j;
                if (!compare(paths[groupBest], paths[j]).firstWins()) groupBest = j;
            }
            if (best < 0 || !compare(paths[best], paths[groupBest]).firstWins()) best = groupBest;
        }
        return best;
    }

    private static boolean isDone(boolean[] done, long mask, int i) {
        return done != null ? done[i] : (mask & (1L << i)) != 0;
    }

    /** Why {@code paths[best]} beats the runner-up among {@code paths[0..n)}. */
    public BestPathReason explain(PathView[] paths, int n, int best) {
        if (n <= 1) return BestPathReason.ONLY_PATH;
        PathView[] rest = new PathView[n - 1];
        for (int i = 0, k = 0; i < n; i++) if (i != best) rest[k++] = paths[i];
        return compare(paths[best], rest[best(rest, n - 1)]).reason();
    }
}
