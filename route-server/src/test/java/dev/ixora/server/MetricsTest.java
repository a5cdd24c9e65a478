package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixora.conf.ConfigImage;
import dev.ixora.conf.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running daemon with an in-process neighbor (as in DaemonEndToEndTest):
 * the text is valid exposition format (parsed strictly here, and by Prometheus's own promtool) and
 * the numbers are what the neighbor did.
 */
class MetricsTest {
    // text format 0.0.4: name{label="value",...} value
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    private static String config(int bgpPort, int neighborPort, int apiPort) {
        return """
                router: {asn: 64500, router-id: 198.18.0.1, listen: ["127.0.0.1:%d"]}
                peers:
                  - {name: n1, address: 127.0.0.2, port: %d, local-address: 127.0.0.1, asn: 64501, connect-retry: 1}
                  - {name: silent, address: 127.0.0.3, asn: 64503, passive: true}
                  - {name: off, address: 127.0.0.4, asn: 64504, shutdown: true}
                announce:
                  - prefix: 203.0.113.0/24
                api: {listen: "127.0.0.1:%d"}
                """.formatted(bgpPort, neighborPort, apiPort);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample by its name and sorted labels, e.g. {@code ixora_rib_prefixes{family="ipv4-unicast"}}. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                assertTrue(helped.add(line.split(" ")[2]), "HELP twice: " + line);
            } else if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                assertEquals(4, f.length, line);
                assertTrue(Set.of("counter", "gauge", "untyped").contains(f[3]), line);
                assertTrue(types.put(f[2], f[3]) == null, "TYPE twice: " + line);
            } else {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample line: " + line);
                String name = m.group(1);
                String family = types.containsKey(name) ? name : name.replaceAll("_total$", "");
                assertTrue(types.containsKey(family), "sample before its TYPE: " + line);
                if (types.get(family).equals("counter")) assertTrue(name.endsWith("_total"), line);
                StringBuilder key = new StringBuilder(name);
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    Map<String, String> labels = new java.util.TreeMap<>();
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) assertTrue(labels.put(l.group(1), l.group(2)) == null, "label twice: " + line);
                    key.append(labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                            .collect(java.util.stream.Collectors.joining(",", "{", "}")));
                }
                assertTrue(samples.put(key.toString(), Double.parseDouble(m.group(4).replace("+Inf", "Infinity")
                        .replace("-Inf", "-Infinity"))) == null, "sample twice: " + line);
            }
        }
        return samples;
    }

    private static String peer(String name, String address, long asn, String... more) {
        StringBuilder s = new StringBuilder("address=\"" + address + "\",asn=\"" + asn + "\"");
        for (int i = 0; i < more.length; i += 2) {
            if (more[i].compareTo("peer") > 0) continue;
            s.append(",").append(more[i]).append("=\"").append(more[i + 1]).append("\"");
        }
        s.append(",peer=\"").append(name).append("\"");
        for (int i = 0; i < more.length; i += 2) {
            if (more[i].compareTo("peer") > 0) s.append(",").append(more[i]).append("=\"").append(more[i + 1]).append("\"");
        }
        return "{" + s + "}";
    }

    private static void promtool(Path dir, String text) throws Exception {
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text);
        // CI installs prometheus (bin/setup); a missing promtool fails here rather than skipping.
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool hung");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out + "\n" + text);
    }

    @Test
    void establishedNeighborIsCountedAndTheTextIsValid() throws Exception {
        int bgpPort = DaemonEndToEndTest.freePort("127.0.0.1");
        int neighborPort = DaemonEndToEndTest.freePort("127.0.0.2");
        int apiPort = DaemonEndToEndTest.freePort("127.0.0.1");
        ConfigImage config = ConfigLoader.parse("metrics.yaml", config(bgpPort, neighborPort, apiPort));
        try (Neighbor n = new Neighbor("127.0.0.2", neighborPort, new InetSocketAddress("127.0.0.1", bgpPort))) {
            Daemon daemon = new Daemon(config, Clock.systemUTC());
            try {
                daemon.start();
                // The neighbor sends its route and two End-of-RIBs: three UPDATEs.
                Map<String, Double> m = awaitSample(apiPort, "ixora_bgp_updates_received_total" + peer("n1", "127.0.0.2", 64501), 3);
                HttpResponse<String> r = get(apiPort, "/metrics");
                assertEquals(200, r.statusCode());
                assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
                promtool(dir, r.body());
                m = parse(r.body());

                String n1 = peer("n1", "127.0.0.2", 64501);
                assertEquals(1.0, m.get("ixora_bgp_session_state" + peer("n1", "127.0.0.2", 64501, "state", "Established")), r.body());
                for (String s : List.of("Idle", "Connect", "Active", "OpenSent", "OpenConfirm")) {
                    assertEquals(0.0, m.get("ixora_bgp_session_state" + peer("n1", "127.0.0.2", 64501, "state", s)), s);
                }
                assertEquals(1.0, m.get("ixora_bgp_session_established_transitions_total" + n1));
                assertEquals(1.0, m.get("ixora_bgp_prefixes_received" + peer("n1", "127.0.0.2", 64501, "family", "ipv4-unicast")));
                assertEquals(1.0, m.get("ixora_bgp_prefixes_accepted" + peer("n1", "127.0.0.2", 64501, "family", "ipv4-unicast")));
                assertEquals(0.0, m.get("ixora_bgp_prefixes_filtered" + peer("n1", "127.0.0.2", 64501, "family", "ipv4-unicast")));
                assertEquals(0.0, m.get("ixora_bgp_prefixes_received" + peer("n1", "127.0.0.2", 64501, "family", "ipv6-unicast")));
                // OPEN and KEEPALIVE at least, besides the UPDATEs
                assertTrue(m.get("ixora_bgp_messages_received_total" + n1) >= 5, r.body());
                // our announce 203.0.113.0/24 went out, with End-of-RIB for both families
                assertTrue(m.get("ixora_bgp_updates_sent_total" + n1) >= 3, r.body());
                assertTrue(m.get("ixora_bgp_messages_sent_total" + n1) >= m.get("ixora_bgp_updates_sent_total" + n1) + 2, r.body());
                assertEquals(0.0, m.get("ixora_bgp_peer_admin_shutdown" + n1));

                // the passive peer nobody connects to is not Established
                double silentUp = m.get("ixora_bgp_session_state" + peer("silent", "127.0.0.3", 64503, "state", "Established"));
                assertEquals(0.0, silentUp);
                assertEquals(0.0, m.get("ixora_bgp_updates_received_total" + peer("silent", "127.0.0.3", 64503)));
                assertEquals(1.0, m.get("ixora_bgp_peer_admin_shutdown" + peer("off", "127.0.0.4", 64504)));
                assertEquals(1.0, m.get("ixora_bgp_session_state" + peer("off", "127.0.0.4", 64504, "state", "Idle")));

                // the neighbor's route and our own announce
                assertEquals(2.0, m.get("ixora_rib_routes"));
                assertEquals(2.0, m.get("ixora_rib_prefixes{family=\"ipv4-unicast\"}"));
                assertEquals(0.0, m.get("ixora_rib_prefixes{family=\"ipv6-unicast\"}"));
                assertEquals(1.0, m.get("ixora_rib_read_ok"));
                assertTrue(m.get("ixora_export_updates_encoded_total") >= 1, r.body());
                assertTrue(m.containsKey("ixora_export_encodings_shared_total"), r.body());
                assertEquals(1.0, m.get("ixora_build_info{version=\"" + Ixora.version() + "\"}"), r.body());

                // Prometheus asks for OpenMetrics first; that format ends with # EOF
                HttpResponse<String> om = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/metrics"))
                        .header("Accept", "application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
                assertTrue(om.body().endsWith("# EOF\n"), om.body());
                assertEquals(405, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            } finally {
                daemon.stop(RunCommand.SHUTDOWN_REASON);
            }
        }
    }

    /** Scrapes until the sample reaches the value (sessions and UPDATEs are asynchronous). */
    private static Map<String, Double> awaitSample(int port, String key, double value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get(port, "/metrics").body();
                Map<String, Double> m = parse(last);
                if (Double.valueOf(value).equals(m.get(key))) return m;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " never reached " + value + ":\n" + last);
    }
}
