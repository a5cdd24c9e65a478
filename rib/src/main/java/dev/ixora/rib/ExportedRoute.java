package dev.ixora.rib;

import dev.ixora.codec.Prefix;

/** What to send a client for one prefix: its chosen route, or a withdrawal when {@code route} is null. */
public record ExportedRoute(Prefix prefix, Route route) {
    public boolean withdrawal() {
        return route == null;
    }
}
