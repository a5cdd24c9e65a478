package dev.ixora.conf;

import java.net.Inet4Address;
import java.util.Locale;

/** Parsers for config scalars; each throws IllegalArgumentException whose message is the config error. */
final class Values {
    private Values() {}

    /** Up to 10 decimal digits, so Long.parseLong cannot overflow. */
    static boolean isUint(String s) {
        return s.matches("[0-9]{1,10}");
    }

    /** 64500, "AS64500" or asdot "1.10" (RFC 5396); 1..4294967295 (RFC 7607: AS 0 is reserved). */
    static long asn(String text) {
        String bad = "expected an AS number 1..4294967295 (64500, AS64500 or asdot 1.10), got \"" + text + "\"";
        String s = text.toUpperCase(Locale.ROOT).startsWith("AS") ? text.substring(2) : text;
        long asn;
        int dot = s.indexOf('.');
        if (dot >= 0) {
            String hi = s.substring(0, dot), lo = s.substring(dot + 1);
            if (!isUint(hi) || !isUint(lo) || Long.parseLong(hi) > 0xFFFF || Long.parseLong(lo) > 0xFFFF) {
                throw new IllegalArgumentException(bad);
            }
            asn = (Long.parseLong(hi) << 16) | Long.parseLong(lo);
        } else {
            if (!s.matches("[0-9]{1,20}")) throw new IllegalArgumentException(bad);
            if (s.length() > 10 || Long.parseLong(s) > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("AS number out of range 1..4294967295, got \"" + text + "\"");
            }
            asn = Long.parseLong(s);
        }
        if (asn == 0) throw new IllegalArgumentException("AS 0 is reserved (RFC 7607), got \"" + text + "\"");
        return asn;
    }

    /** RFC 6286 §2.1: a non-zero 32-bit BGP Identifier, written as a dotted quad. */
    static Inet4Address routerId(String text) {
        Inet4Address a = Addresses.parseV4(text);
        if (a == null) {
            throw new IllegalArgumentException("expected a router id as a dotted quad like 198.18.0.1, got \"" + text + "\"");
        }
        if (a.isAnyLocalAddress()) throw new IllegalArgumentException("router id must not be 0.0.0.0 (RFC 6286)");
        return a;
    }

    static boolean bool(String text) {
        return switch (text) {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
        };
    }

    static long uint(String text, long min, long max) {
        if (!text.matches("[0-9]{1,20}") || text.length() > 18 || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            throw new IllegalArgumentException("expected an integer " + min + ".." + max + ", got \"" + text + "\"");
        }
        return Long.parseLong(text);
    }

    /** RFC 4271 §4.2: the hold time is zero or at least three seconds. */
    static int holdTime(String text) {
        if (!text.matches("[0-9]{1,6}") || (Integer.parseInt(text) > 0 && Integer.parseInt(text) < 3)
                || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("expected a hold time of 0 or 3..65535 seconds (RFC 4271 4.2), got \""
                    + text + "\"");
        }
        return Integer.parseInt(text);
    }

    static PolicyAction action(String text) {
        return switch (text) {
            case "accept" -> PolicyAction.ACCEPT;
            case "reject" -> PolicyAction.REJECT;
            default -> throw new IllegalArgumentException("expected accept or reject, got \"" + text + "\"");
        };
    }

    /** Peer names appear in logs, CLI arguments and URLs: keep them simple. */
    static String name(String text) {
        if (!text.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("expected a name of letters, digits, '.', '_' or '-' (at most 64), got \""
                    + text + "\"");
        }
        return text;
    }

    /** The closest candidate within edit distance 2 (or a plural/prefix of it), or null: for "did you mean". */
    static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d >= 3 && commonPrefix(word, c) >= Math.max(4, Math.min(word.length(), c.length()) - 2)) d = 2;
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        return best;
    }

    private static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        return i;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
