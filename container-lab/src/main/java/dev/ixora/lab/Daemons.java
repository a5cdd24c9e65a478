package dev.ixora.lab;

import dev.ixora.lab.daemon.Daemon;
import dev.ixora.lab.daemon.Host;
import dev.ixora.lab.daemon.Ixora;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;

/** The daemon adapter for each node kind of a topology file. */
public final class Daemons {
    /** Every kind a topology file may name. */
    public static final List<String> KINDS = List.of("host", "ixora", "bird", "frr", "gobgp", "openbgpd", "exabgp");

    private Daemons() {
    }

    /**
     * A fresh adapter for kind. The adapters for third-party daemons are
     * dev.ixora.lab.daemon.{Bird,Frr,Gobgp,Openbgpd,Exabgp}, each with a public no-arg constructor;
     * they are looked up by name so the lab builds while they are being written.
     */
    public static Daemon forKind(String kind) {
        switch (kind) {
            case "host":
                return new Host();
            case "ixora":
                return new Ixora();
            default:
                if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown node kind \"" + kind + "\", expected one of " + KINDS);
        }
        String cls = "dev.ixora.lab.daemon." + kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1);
        try {
            return (Daemon) Class.forName(cls).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no adapter for node kind \"" + kind + "\" (class " + cls + " is missing)", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException("cannot create the adapter " + cls + ": " + e, e);
        }
    }
}
