package dev.ixora.lab.daemon;

import java.util.List;

/** The "host" kind: a plain namespace for traffic tests; its "daemon" only keeps it occupied. */
public final class Host implements Daemon {
    @Override
    public String kind() {
        return "host";
    }

    @Override
    public void prepare(NodeSpec spec, NodeExec node) {
        // nothing to configure
    }

    @Override
    public List<String> command(NodeSpec spec, NodeExec node) {
        return List.of("sleep", "infinity");
    }

    @Override
    public List<SessionInfo> sessions(NodeSpec spec, NodeExec node) {
        return List.of();
    }

    @Override
    public List<RouteInfo> routes(NodeSpec spec, NodeExec node) {
        return List.of();
    }
}
