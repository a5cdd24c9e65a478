package dev.ixora.conf;

import java.net.InetSocketAddress;

/** The {@code api:} section: where the HTTP API listens. */
public record ApiConfig(InetSocketAddress listen) {
    public ApiConfig {
        if (listen == null) throw new IllegalArgumentException("api listen address is required");
    }
}
