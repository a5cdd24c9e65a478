package dev.ixora.lab;

import dev.ixora.lab.daemon.NodeSpec;
import dev.ixora.lab.daemon.SessionInfo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Waiting for a lab's BGP sessions, the same on both backends (for {@link RunningLab}). */
final class Sessions {
    private Sessions() {
    }

    /**
     * Waits until every configured neighbor of every node reports Established; throws with each
     * node's sessions and log tail when the time is up or a daemon died.
     */
    static void awaitEstablished(String lab, Collection<? extends RunningNode> nodes, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> missing = new ArrayList<>();
            for (RunningNode n : nodes) {
                if (n.spec().neighbors().isEmpty()) continue;
                if (!n.daemonAlive()) {
                    throw new IOException("node " + n.name() + ": daemon is not running; log tail:\n" + n.logTail(30));
                }
                missing.addAll(notEstablished(n));
            }
            if (missing.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("lab " + lab + ": sessions not Established after " + timeout + ": " + missing);
                for (RunningNode n : nodes) {
                    if (n.spec().neighbors().isEmpty()) continue;
                    sb.append("\n--- ").append(n.name()).append(" (").append(n.spec().kind()).append(") log tail:\n").append(n.logTail(15));
                }
                throw new IOException(sb.toString());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** "node->neighbor: state" for each of the node's neighbors that is not Established. */
    private static List<String> notEstablished(RunningNode n) {
        List<SessionInfo> sessions;
        try {
            sessions = n.daemon().sessions(n.spec(), n);
        } catch (IOException | RuntimeException e) {
            return List.of(n.name() + ": cannot read sessions (" + e.getMessage() + ")");
        }
        List<String> out = new ArrayList<>();
        for (NodeSpec.Neighbor nb : n.spec().neighbors()) {
            String want = canonical(nb.address());
            String state = sessions.stream().filter(s -> canonical(s.neighborAddress()).equals(want))
                    .map(SessionInfo::state).findFirst().orElse("absent");
            if (!"Established".equals(state)) out.add(n.name() + "->" + nb.name() + ": " + state);
        }
        return out;
    }

    /** An address (with or without "/len") in canonical form, so daemons' spellings compare equal. */
    private static String canonical(String address) {
        Cidr c = address == null ? null : Cidr.parse(address.strip());
        return c == null ? String.valueOf(address) : c.address();
    }
}
