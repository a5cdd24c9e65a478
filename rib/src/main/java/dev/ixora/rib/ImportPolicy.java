package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/**
 * Import policy hook until the policy engine lands: accept, or reject with a reason. A rejected
 * route stays in the Adj-RIB-In, marked with the reason, so the looking glass can say why
 * (DESIGN.md "filtered routes stay visible").
 */
@FunctionalInterface
public interface ImportPolicy {
    ImportPolicy ACCEPT = (prefix, attributes) -> null;
    ImportPolicy REJECT = (prefix, attributes) -> "import policy: reject";

    /** Null to accept, otherwise why the route is filtered (few distinct strings, at most 4095). */
    String rejectReason(Prefix prefix, RouteAttributes attributes);
}
