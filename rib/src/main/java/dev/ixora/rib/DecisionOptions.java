package dev.ixora.rib;

/**
 * Knobs of the decision process. The defaults follow RFC 4271.
 *
 * @param alwaysCompareMed compare MED between paths from different neighbour ASes too
 * @param deterministicMed group paths by neighbour AS, pick each group's best, then compare the group
 *                         winners, so the result does not depend on the order paths are scanned
 * @param missingMedAsWorst treat an absent MED as the worst value instead of 0 (RFC 4271 9.1.2.2 c)
 *                          says 0; many operators prefer worst)
 * @param preferOlderEbgp prefer the older of two eBGP paths (RFC 5004) before comparing router ids
 */
public record DecisionOptions(boolean alwaysCompareMed, boolean deterministicMed,
                              boolean missingMedAsWorst, boolean preferOlderEbgp) {
    public static final DecisionOptions DEFAULTS = new DecisionOptions(false, false, false, false);
}
