package dev.ixora.rib;

/**
 * The decision step that chose one path over another (RFC 4271 section 9.1.2.2 plus the usual
 * tie-breakers), in the order the steps run. Kept as data so "show route" can say why a path won.
 */
public enum BestPathReason {
    /** Only one eligible path: nothing to compare. */
    ONLY_PATH,
    LOCAL_PREF,
    AS_PATH_LENGTH,
    ORIGIN,
    MED,
    EBGP_OVER_IBGP,
    IGP_COST,
    OLDER_EBGP,
    ROUTER_ID,
    CLUSTER_LIST_LENGTH,
    PEER_ADDRESS,
    PATH_ID
}
