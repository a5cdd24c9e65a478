package dev.ixora.tests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.lab.LabNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario c: an unknown optional transitive attribute (type 255, flags 0xC0, five value bytes)
 * sent by ExaBGP passes through the route server with its value byte for byte (DESIGN.md,
 * RFC 7947 §2.2); RFC 4271 §5 has a speaker that passes on an unrecognised optional transitive
 * attribute set its Partial bit, so the flags arrive as 0xE0. Receivers: ExaBGP (prints the raw
 * attribute) and GoBGP (`gobgp -j global rib`, value in base64).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UnknownAttributeTest {
    static final String PREFIX = "100.64.5.0/24";
    static final int TYPE = 0xff;
    static final String VALUE = "0102030405";

    @Test
    void unknownOptionalTransitiveAttributePassesByteForByte() throws Exception {
        try (InteropLab lab = InteropLab.up("unknownattr")) {
            lab.awaitEstablished();
            LabNode sender = lab.node("exabgp1");
            lab.check("exabgp1 announces " + PREFIX + " with attribute " + TYPE, () -> {
                // The topology format has no raw attributes: add one to ExaBGP's config and have
                // it reload (SIGUSR1), which re-sends the route with it.
                Path conf = sender.workDir().resolve("exabgp/exabgp.conf");
                String before = Files.readString(conf, StandardCharsets.UTF_8);
                String after = before.replaceFirst("(route " + Pattern.quote(PREFIX) + " [^;]*);",
                        "$1 attribute [ 0x" + Integer.toHexString(TYPE) + " 0xc0 0x" + VALUE + " ];");
                assertTrue(!after.equals(before), "no route line for " + PREFIX + " in " + conf + ":\n" + before);
                Files.writeString(conf, after, StandardCharsets.UTF_8);
                long pid = sender.daemonPid().orElseThrow();
                assertEquals(0, new ProcessBuilder("kill", "-USR1", Long.toString(pid)).inheritIO().start().waitFor());
            });

            // The route server holds the attribute as received: flags 0xC0, the same bytes.
            lab.check("rs: unknown attribute in its Adj-RIB-In", () -> {
                String body = "";
                for (int i = 0; i < 60 && !body.contains("\"unknown_attributes\":[{"); i++) {
                    body = lab.node("rs").run("curl", "-sS", "--fail", "--max-time", "5", "http://127.0.0.1:8080/api/v1/routes");
                    Thread.sleep(500);
                }
                assertTrue(body.contains("{\"type\":" + TYPE + ",\"flags\":192,\"value\":\"" + VALUE + "\"}"), body);
            });

            // ExaBGP as a receiver prints an attribute it does not know as "attribute-0xTT-0xFF": "0xVALUE".
            Path received = lab.node("exabgp2").workDir().resolve("exabgp/received.jsonl");
            lab.check("exabgp2 received the attribute", () -> {
                Pattern p = Pattern.compile("\"attribute-0x" + String.format("%02X", TYPE) + "-0x([0-9A-F]{2})\": \"0x([0-9A-Fa-f]+)\"");
                Matcher m = null;
                for (int i = 0; i < 60; i++) {
                    m = p.matcher(Files.readString(received));
                    if (m.find()) break;
                    m = null;
                    Thread.sleep(500);
                }
                assertTrue(m != null, "no attribute " + TYPE + " in " + received);
                assertEquals("E0", m.group(1), "flags: optional, transitive, and Partial (RFC 4271 §5)");
                assertEquals(VALUE, m.group(2).toLowerCase(java.util.Locale.ROOT), "value, byte for byte");
            });

            LabNode gobgp = lab.node("gobgp1");
            lab.check("gobgp1 received the attribute", () -> {
                Map<String, Object> attr = null;
                for (int i = 0; i < 60 && attr == null; i++) {
                    attr = gobgpAttribute(gobgp);
                    if (attr == null) Thread.sleep(500);
                }
                assertTrue(attr != null, "gobgp1 has no attribute " + TYPE + " on " + PREFIX);
                assertEquals(0xe0, ((Number) attr.get("flags")).intValue(), "flags " + attr);
                assertEquals(VALUE, HexFormat.of().formatHex(Base64.getDecoder().decode((String) attr.get("value"))), "value " + attr);
            });
        }
    }

    /** The attribute of type TYPE on PREFIX in gobgp's table, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> gobgpAttribute(LabNode gobgp) throws java.io.IOException {
        String out = gobgp.run("gobgp", "--target", "unix://" + gobgp.workDir().resolve("gobgp/gobgp.sock"),
                "-j", "global", "rib", "-a", "ipv4");
        Object v = InteropLab.json(out);
        if (!(v instanceof Map<?, ?> table) || !(table.get(PREFIX) instanceof List<?> paths)) return null;
        for (Object path : paths) {
            for (Object a : (List<Object>) ((Map<String, Object>) path).get("attrs")) {
                Map<String, Object> attr = (Map<String, Object>) a;
                if (attr.get("type") instanceof Number n && n.intValue() == TYPE) return attr;
            }
        }
        return null;
    }
}
