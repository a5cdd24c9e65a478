package dev.ixora.lab.daemon;

import dev.ixora.conf.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Helpers the daemon adapters share: canonical addresses, RFC 4271 state names, file writing. */
final class Support {
    private static final Set<String> RFC4271_STATES =
            Set.of("Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established");

    private Support() {
    }

    /** Whether a numeric address literal (or CIDR) is IPv6. */
    static boolean ipv6(String address) {
        return address.contains(":");
    }

    /**
     * A numeric address literal in canonical form: dotted quad, or RFC 5952 §4 for IPv6 (lower
     * case, longest run of two or more zero fields as "::"). A zone ("%eth0") is dropped.
     */
    static String address(String text) {
        String t = text.trim();
        int zone = t.indexOf('%');
        if (zone >= 0) t = t.substring(0, zone);
        if (!t.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException("not an address literal: " + text);
        InetAddress a;
        try {
            a = InetAddress.getByName(t); // a literal: no resolver involved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
        return Addresses.format(a);
    }

    /** "addr/len" with the address canonical. */
    static String prefix(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a prefix: " + cidr);
        return address(cidr.substring(0, slash)) + "/" + Integer.parseInt(cidr.substring(slash + 1).trim());
    }

    /** The address part of "addr/len" (or the text itself when it has no length). */
    static String hostOf(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    /**
     * A daemon's state word mapped to the RFC 4271 §8.2.2 names; anything else (BIRD's "Down",
     * FRR's "Clearing", "Idle (Admin)") counts as Idle.
     */
    static String state(String daemonWord) {
        if (daemonWord == null) return "Idle";
        String w = daemonWord.trim().toLowerCase(Locale.ROOT).replace("_", "").replace(" ", "");
        for (String s : RFC4271_STATES) {
            if (w.equals(s.toLowerCase(Locale.ROOT))) return s;
        }
        if (w.startsWith("established")) return "Established";
        if (w.startsWith("active")) return "Active";
        if (w.startsWith("connect")) return "Connect";
        return "Idle";
    }

    /**
     * Applies a parser to a daemon's CLI output; output it cannot read (an error text where JSON
     * was expected, a format change) becomes an IOException that quotes the output.
     */
    static <T> T parse(String what, String out, Function<String, T> parser) throws IOException {
        try {
            return parser.apply(out);
        } catch (RuntimeException e) {
            String shown = out.length() > 400 ? out.substring(0, 400) + "..." : out;
            throw new IOException(what + ": cannot read output (" + e.getMessage() + "): " + shown, e);
        }
    }

    /**
     * A standard community as "asn:value". Well-known ones may be given, or printed by a daemon,
     * by name in any of the daemons' spellings ("no-export", "NO_EXPORT", "noExport"):
     * RFC 1997 (NO_EXPORT, NO_ADVERTISE, NO_EXPORT_SUBCONFED), RFC 3765 (NOPEER),
     * RFC 7611 (ACCEPT_OWN), RFC 7999 (BLACKHOLE), RFC 8326 (GRACEFUL_SHUTDOWN), RFC 9494 (LLGR).
     */
    static String community(String text) {
        String t = text.trim();
        if (t.matches("\\d+:\\d+")) {
            String[] p = t.split(":");
            long asn = Long.parseLong(p[0]);
            long value = Long.parseLong(p[1]);
            if (asn > 0xffff || value > 0xffff) throw new IllegalArgumentException("not a standard community: " + text);
            return asn + ":" + value;
        }
        String key = t.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (key) {
            case "graceful-shutdown" -> "65535:0";
            case "accept-own" -> "65535:1";
            case "llgr-stale" -> "65535:6";
            case "no-llgr" -> "65535:7";
            case "blackhole" -> "65535:666";
            case "no-export" -> "65535:65281";
            case "no-advertise" -> "65535:65282";
            case "no-export-subconfed", "local-as" -> "65535:65283";
            case "no-peer", "nopeer" -> "65535:65284";
            default -> throw new IllegalArgumentException("unknown community \"" + text + "\"");
        };
    }

    /** The communities of an announcement, numeric. */
    static List<String> communities(List<String> given) {
        return given.stream().map(Support::community).toList();
    }

    /** Writes a UTF-8 text file, creating parent directories. */
    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Writes an executable shell script. */
    static void writeScript(Path file, String text) throws IOException {
        write(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Quotes a word for sh. */
    static String sh(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
