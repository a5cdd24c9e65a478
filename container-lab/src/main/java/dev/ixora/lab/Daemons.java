package dev.ixora.lab;

import dev.ixora.lab.daemon.Bird;
import dev.ixora.lab.daemon.Daemon;
import dev.ixora.lab.daemon.Exabgp;
import dev.ixora.lab.daemon.Frr;
import dev.ixora.lab.daemon.Gobgp;
import dev.ixora.lab.daemon.Host;
import dev.ixora.lab.daemon.Ixora;
import dev.ixora.lab.daemon.Openbgpd;

import java.util.List;

/** The daemon adapter for each node kind of a topology file. */
public final class Daemons {
    /** Every kind a topology file may name. */
    public static final List<String> KINDS = List.of("host", "ixora", "bird", "frr", "gobgp", "openbgpd", "exabgp");

    private Daemons() {
    }

    /** A fresh adapter for kind; throws IllegalArgumentException for a kind not in {@link #KINDS}. */
    public static Daemon forKind(String kind) {
        return switch (kind) {
            case "host" -> new Host();
            case "ixora" -> new Ixora();
            case "bird" -> new Bird();
            case "frr" -> new Frr();
            case "gobgp" -> new Gobgp();
            case "openbgpd" -> new Openbgpd();
            case "exabgp" -> new Exabgp();
            default -> throw new IllegalArgumentException("unknown node kind \"" + kind + "\", expected one of " + KINDS);
        };
    }
}
