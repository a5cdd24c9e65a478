package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/**
 * Import policy hook until the policy engine lands: accept, or reject with a reason. A rejected
 * route stays in the Adj-RIB-In, marked with the reason, so the looking glass can say why
 * (DESIGN.md "filtered routes stay visible").
 */
@FunctionalInterface
public interface ImportPolicy {
    ImportPolicy ACCEPT = of(null);
    ImportPolicy REJECT = of("import policy: reject");

    /** Null to accept, otherwise why the route is filtered (few distinct strings, at most 4095). */
    String rejectReason(Prefix prefix, RouteAttributes attributes);

    /**
     * False when the verdict depends on the attributes alone: the rib then asks once per
     * announcement (one attribute set, many prefixes) instead of once per prefix.
     */
    default boolean dependsOnPrefix() {
        return true;
    }

    /** The same verdict for every route: null accepts, anything else rejects with that reason. */
    static ImportPolicy of(String reason) {
        return new ImportPolicy() {
            @Override
            public String rejectReason(Prefix prefix, RouteAttributes attributes) {
                return reason;
            }

            @Override
            public boolean dependsOnPrefix() {
                return false;
            }

            @Override
            public String toString() {
                return reason == null ? "accept" : "reject (" + reason + ")";
            }
        };
    }

    /**
     * A policy that looks at the attributes only (e.g. AS-path loop detection): asked once per
     * announcement.
     */
    static ImportPolicy byAttributes(java.util.function.Function<RouteAttributes, String> reason) {
        return new ImportPolicy() {
            @Override
            public String rejectReason(Prefix prefix, RouteAttributes attributes) {
                return reason.apply(attributes);
            }

            @Override
            public boolean dependsOnPrefix() {
                return false;
            }
        };
    }
}
