package dev.ixora.lab.daemon;

import java.util.List;

/**
 * One route as a daemon holds it, normalised so routes from different daemons compare equal:
 * prefix in canonical CIDR form, next hop as the daemon prints it (canonical textual address),
 * AS path as a list of ASNs (AS_SETs flattened in order), MED null when absent, standard
 * communities as "asn:value", large communities as "a:b:c", both sorted.
 */
public record RouteInfo(String prefix, String nextHop, List<Long> asPath, Long med,
                        List<String> communities, List<String> largeCommunities) {
    public RouteInfo {
        asPath = List.copyOf(asPath);
        communities = communities.stream().sorted().toList();
        largeCommunities = largeCommunities.stream().sorted().toList();
    }

    /** One line, stable, for diffing route dumps against expected files. */
    public String normalised() {
        return prefix + " via " + nextHop + " path " + asPath + (med == null ? "" : " med " + med)
                + (communities.isEmpty() ? "" : " comm " + String.join(",", communities))
                + (largeCommunities.isEmpty() ? "" : " lcomm " + String.join(",", largeCommunities));
    }
}
