package dev.ixora.codec;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Cross-checks the encoder against an oracle nobody here wrote: Wireshark's BGP dissector. Our
 * messages go into a pcap file; tshark must find nothing malformed and read back the values we
 * encoded. Fails (never skips) when tshark is not installed: CI installs it.
 */
class TsharkCrossCheckTest {
    private static String tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, "tshark");
            if (Files.isExecutable(p)) {
                tshark = p.toString();
                return;
            }
        }
        fail("tshark is required for this test (Debian package 'tshark'); it is not on PATH");
    }

    /** One dissected BGP message: field name -> every "show" value, and all (name, show) in document order. */
    record Fields(Map<String, List<String>> values, List<String[]> ordered, Map<String, List<String>> raw) {
        /** Where tshark found each occurrence of a field: "offset+size", the offset from the BGP marker. */
        List<String> spans(String name) {
            return raw.getOrDefault(name, List.of());
        }

        /** Flags and length tshark read for the path attribute with this type code. */
        List<String> attributeHeader(int typeCode) {
            String flags = null;
            for (int i = 0; i < ordered.size(); i++) {
                String[] f = ordered.get(i);
                if (f[0].equals("bgp.update.path_attribute.flags")) flags = f[1];
                if (f[0].equals("bgp.update.path_attribute.type_code") && f[1].equals(String.valueOf(typeCode))) {
                    return List.of(flags, ordered.get(i + 1)[1]);
                }
            }
            return List.of();
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        String one(String name) {
            List<String> v = all(name);
            assertEquals(1, v.size(), name + " in " + values.keySet());
            return v.get(0);
        }

        /** Prefixes as "address/length": tshark shows the length as the bgp.prefix_length just before. */
        List<String> prefixes(String name) {
            List<String> out = new ArrayList<>();
            String length = "?";
            for (String[] f : ordered) {
                if (f[0].equals("bgp.prefix_length")) length = f[1];
                if (f[0].equals(name)) out.add(f[1] + "/" + length);
            }
            return out;
        }
    }

    @Test
    void openCapabilitiesKeepaliveNotificationRouteRefresh() throws Exception {
        List<byte[]> segments = new ArrayList<>();
        segments.add(encode(OpenCodecTest.OPEN, SessionCodecContext.INITIAL));
        OpenMessage as4 = new OpenMessage(4, OpenMessage.AS_TRANS, 180, 0xC6120001L, List.of(
                new Capability.FourOctetAs(4_200_000_000L), new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST),
                new Capability.AddPath(List.of(new Capability.AddPath.Family(AfiSafi.IPV6_UNICAST, 1)))));
        segments.add(encode(as4, SessionCodecContext.INITIAL));
        // Two messages in one TCP segment.
        segments.add(concat(encode(KeepaliveMessage.INSTANCE, SessionCodecContext.INITIAL),
                encode(new NotificationMessage(2, 6), SessionCodecContext.INITIAL)));
        segments.add(encode(NotificationMessage.cease(NotificationMessage.CEASE_ADMIN_SHUTDOWN, "planned maintenance \u00e9"),
                SessionCodecContext.INITIAL));
        segments.add(encode(new RouteRefreshMessage(AfiSafi.IPV6_UNICAST, RouteRefreshMessage.END_OF_RIB),
                SessionCodecContext.INITIAL));
        segments.add(encode(RouteRefreshMessage.request(AfiSafi.IPV4_UNICAST), SessionCodecContext.INITIAL));

        List<Fields> bgp = dissect(segments);
        assertEquals(7, bgp.size());

        Fields open = bgp.get(0);
        assertEquals("1", open.one("bgp.type"));
        assertEquals("97", open.one("bgp.length"));
        assertEquals("4", open.one("bgp.open.version"));
        assertEquals("65001", open.one("bgp.open.myas"));
        assertEquals("90", open.one("bgp.open.holdtime"));
        assertEquals("192.0.2.1", open.one("bgp.open.identifier"));
        assertEquals("68", open.one("bgp.open.opt.len"));
        assertEquals(List.of("1", "1", "2", "70", "6", "9", "64", "65", "69", "73", "128", "200"), open.all("bgp.cap.type"));
        assertEquals(List.of("4", "4", "0", "0", "0", "1", "6", "4", "4", "16", "0", "3"), open.all("bgp.cap.length"));
        assertEquals(List.of("1", "2"), open.all("bgp.cap.mp.afi"));
        assertEquals(List.of("1", "1"), open.all("bgp.cap.mp.safi"));
        assertEquals("120", open.one("bgp.cap.gr.timers.restart_time"));
        assertEquals("1", open.one("bgp.cap.gr.timers.restart_flag"));
        assertEquals("1", open.one("bgp.cap.gr.flag.pfs"));
        assertEquals("65001", open.one("bgp.cap.4as"));
        assertEquals("1", open.one("bgp.cap.ap.afi"));
        assertEquals("3", open.one("bgp.cap.ap.sendreceive"));
        assertEquals("rs1", open.one("bgp.cap.orf.fqdn.hostname"));
        assertEquals("example.net", open.one("bgp.cap.orf.fqdn.domain_name"));

        Fields open4 = bgp.get(1);
        assertEquals("23456", open4.one("bgp.open.myas"));
        assertEquals("180", open4.one("bgp.open.holdtime"));
        assertEquals("198.18.0.1", open4.one("bgp.open.identifier"));
        assertEquals("4200000000", open4.one("bgp.cap.4as"));
        assertEquals("2", open4.one("bgp.cap.ap.afi"));
        assertEquals("1", open4.one("bgp.cap.ap.sendreceive"));

        assertEquals("4", bgp.get(2).one("bgp.type"));
        assertEquals("19", bgp.get(2).one("bgp.length"));
        Fields holdTime = bgp.get(3);
        assertEquals("2", holdTime.one("bgp.notify.major_error"));
        assertEquals("6", holdTime.one("bgp.notify.minor_error_open"));
        Fields shutdown = bgp.get(4);
        assertEquals("6", shutdown.one("bgp.notify.major_error"));
        assertEquals("2", shutdown.one("bgp.notify.minor_error_cease"));
        assertEquals(String.valueOf("planned maintenance \u00e9".getBytes(StandardCharsets.UTF_8).length),
                shutdown.one("bgp.notify.communication_length"));
        assertEquals("planned maintenance \u00e9", shutdown.one("bgp.notify.communication"));
        Fields eorr = bgp.get(5);
        assertEquals(List.of("5", "23"), List.of(eorr.one("bgp.type"), eorr.one("bgp.length")));
        assertEquals(List.of("2", "2", "1"), List.of(eorr.one("bgp.route_refresh.afi"),
                eorr.one("bgp.route_refresh.subtype"), eorr.one("bgp.route_refresh.safi")));
        Fields rr = bgp.get(6);
        assertEquals(List.of("1", "0", "1"), List.of(rr.one("bgp.route_refresh.afi"),
                rr.one("bgp.route_refresh.subtype"), rr.one("bgp.route_refresh.safi")));
    }

    @Test
    void updates() throws Exception {
        SessionCodecContext ctx = SessionCodecContext.FOUR_OCTET;
        UpdateMessage v4 = new UpdateMessage(
                List.of(Nlri.parse("192.0.2.0/24")),
                List.of(PathAttribute.Origin.IGP_ORIGIN,
                        AsPath.sequence(65001, 4_200_000_000L),
                        PathAttribute.NextHop.parse("198.18.0.1"),
                        new PathAttribute.Med(50),
                        new PathAttribute.Communities(new int[] {(65001 << 16) | 100, 0xFFFFFF01}),
                        PathAttribute.LargeCommunities.of(65001, 1, 2)),
                List.of(Nlri.parse("203.0.113.0/24"), Nlri.parse("198.51.100.0/25")));
        byte[] nh6 = InetAddress.getByName("2001:db8::1").getAddress();
        UpdateMessage v6 = new UpdateMessage(List.of(), List.of(
                PathAttribute.Origin.IGP_ORIGIN,
                AsPath.sequence(65002),
                new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, nh6,
                        List.of(Nlri.parse("2001:db8:1::/48"), Nlri.parse("2001:db8:2:8000::/49")))), List.of());
        UpdateMessage v6withdraw = new UpdateMessage(List.of(), List.of(
                new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, List.of(Nlri.parse("2001:db8:3::/48")))), List.of());
        UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);

        List<Fields> bgp = dissect(List.of(encode(v4, ctx), encode(v6, ctx), encode(v6withdraw, ctx), encode(eor, ctx)));
        assertEquals(4, bgp.size());

        Fields a = bgp.get(0);
        assertEquals("2", a.one("bgp.type"));
        assertEquals(List.of("192.0.2.0/24"), a.prefixes("bgp.withdrawn_prefix"));
        assertEquals(List.of("203.0.113.0/24", "198.51.100.0/25"), a.prefixes("bgp.nlri_prefix"));
        assertEquals("0", a.one("bgp.update.path_attribute.origin"));
        assertEquals(List.of("65001", "4200000000"), a.all("bgp.update.path_attribute.as_path_segment.as4"));
        assertEquals("198.18.0.1", a.one("bgp.update.path_attribute.next_hop"));
        assertEquals("50", a.one("bgp.update.path_attribute.multi_exit_disc"));
        assertEquals(List.of("65001"), a.all("bgp.update.path_attribute.community_as"));
        assertEquals(List.of("100"), a.all("bgp.update.path_attribute.community_value"));
        assertEquals(List.of("0xffffff01"), a.all("bgp.update.path_attribute.community_wellknown"));
        assertEquals(List.of("65001", "1", "2"), List.of(a.one("bgp.large_communities.ga"),
                a.one("bgp.large_communities.ldp1"), a.one("bgp.large_communities.ldp2")));

        Fields b = bgp.get(1);
        assertEquals(List.of("65002"), b.all("bgp.update.path_attribute.as_path_segment.as4"));
        assertEquals("2", b.one("bgp.update.path_attribute.mp_reach_nlri.afi"));
        assertEquals("1", b.one("bgp.update.path_attribute.mp_reach_nlri.safi"));
        assertEquals("2001:db8::1", b.one("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"));
        assertEquals(List.of("2001:db8:1::/48", "2001:db8:2:8000::/49"), b.prefixes("bgp.mp_reach_nlri_ipv6_prefix"));

        Fields c = bgp.get(2);
        assertEquals(List.of("2001:db8:3::/48"), c.prefixes("bgp.mp_unreach_nlri_ipv6_prefix"));

        Fields d = bgp.get(3);
        assertEquals("23", d.one("bgp.length"));
        assertEquals("0", d.one("bgp.update.withdrawn_routes.length"));
        assertEquals("0", d.one("bgp.update.path_attributes.length"));
    }

    /** Every path attribute of issue 2 the first test does not cover, as a 2-octet session sends them. */
    @Test
    void everyOtherAttributeOnATwoOctetSession() throws Exception {
        AsPath path = new AsPath(List.of(
                AsPath.Segment.of(AsPath.AS_CONFED_SEQUENCE, 65100, 65101),
                AsPath.Segment.of(AsPath.AS_CONFED_SET, 65102),
                AsPath.Segment.of(AsPath.AS_SEQUENCE, 65001, 4_200_000_000L),
                AsPath.Segment.of(AsPath.AS_SET, 65010, 65011)));
        UpdateMessage u = UpdateMessage.announce(List.of(
                new PathAttribute.Origin(PathAttribute.Origin.EGP),
                path,
                PathAttribute.NextHop.parse("198.18.0.1"),
                new PathAttribute.LocalPref(200),
                PathAttribute.AtomicAggregate.INSTANCE,
                new PathAttribute.Aggregator(4_200_000_001L, v4("198.18.0.9")),
                new PathAttribute.OriginatorId(v4("198.18.0.7")),
                new PathAttribute.ClusterList(new int[] {v4("198.18.0.8"), v4("198.18.0.6")}),
                // RFC 4360 section 4: transitive two-octet AS specific, Route Target 65001:100.
                new PathAttribute.ExtendedCommunities(new long[] {0x0002_FDE9_0000_0064L}),
                new PathAttribute.Otc(65001),
                new PathAttribute.UnknownAttribute(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE, 250,
                        new byte[] {1, 2, 3, 4})),
                List.of(Nlri.parse("203.0.113.0/24")));
        // RFC 6793 section 4.2.2: this session is 2-octet, so AS4_PATH and AS4_AGGREGATOR go with it.
        byte[] encoded = encode(u, SessionCodecContext.INITIAL);
        List<Fields> bgp = dissect(List.of(encoded), "2 octet");
        assertEquals(1, bgp.size());
        Fields f = bgp.get(0);
        // ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, ORIGINATOR_ID,
        // CLUSTER_LIST, EXTENDED_COMMUNITIES, AS4_PATH, AS4_AGGREGATOR, OTC, unknown 250 (any order).
        assertEquals(java.util.Set.of("1", "2", "3", "5", "6", "7", "9", "10", "16", "17", "18", "35", "250"),
                new java.util.HashSet<>(f.all("bgp.update.path_attribute.type_code")));
        assertEquals(13, f.all("bgp.update.path_attribute.type_code").size());
        assertEquals("1", f.one("bgp.update.path_attribute.origin"));
        // AS_PATH (2-octet, AS_TRANS for the big one) then AS4_PATH (no confederation segments).
        assertEquals(List.of("3", "4", "2", "1", "2", "1"), f.all("bgp.update.path_attribute.as_path_segment.type"));
        assertEquals(List.of("65100", "65101", "65102", "65001", "23456", "65010", "65011"),
                f.all("bgp.update.path_attribute.as_path_segment.as2"));
        assertEquals(List.of("65001", "4200000000", "65010", "65011"),
                f.all("bgp.update.path_attribute.as_path_segment.as4"));
        assertEquals("200", f.one("bgp.update.path_attribute.local_pref"));
        // AGGREGATOR with AS_TRANS, AS4_AGGREGATOR with the real AS.
        assertEquals(List.of("23456", "4200000001"), f.all("bgp.update.path_attribute.aggregator_as"));
        assertEquals(List.of("198.18.0.9", "198.18.0.9"), f.all("bgp.update.path_attribute.aggregator_origin"));
        assertEquals("198.18.0.7", f.one("bgp.update.path_attribute.originator_id"));
        assertEquals(List.of("198.18.0.8", "198.18.0.6"), f.all("bgp.path_attribute.cluster_id"));
        assertEquals("65001", f.one("bgp.ext_com.value_as2"));
        assertEquals("100", f.one("bgp.ext_com.value_an4"));
        // tshark 4.0 predates RFC 9234: OTC (35) is shown as an unknown attribute, its 4 bytes the AS.
        assertEquals(List.of("0xc0", "4"), f.attributeHeader(35));
        assertEquals(List.of("0xc0", "4"), f.attributeHeader(250));
        List<String> unknown = f.spans("bgp.update.path_attributes.unknown");
        assertEquals(2, unknown.size(), unknown.toString());
        assertEquals("0000fde9", hexAt(encoded, unknown.get(0)), "OTC carries AS 65001");
        assertEquals("01020304", hexAt(encoded, unknown.get(1)), "unknown attribute 250 byte for byte");
        assertEquals(List.of("203.0.113.0/24"), f.prefixes("bgp.nlri_prefix"));
    }

    /** RFC 2545 section 3: a global and a link-local next hop, 32 bytes; and the RFC 7313 BoRR. */
    @Test
    void ipv6LinkLocalNextHopAndBeginningOfRouteRefresh() throws Exception {
        byte[] nh = new byte[32];
        System.arraycopy(InetAddress.getByName("2001:db8::1").getAddress(), 0, nh, 0, 16);
        System.arraycopy(InetAddress.getByName("fe80::1").getAddress(), 0, nh, 16, 16);
        UpdateMessage v6 = new UpdateMessage(List.of(), List.of(
                PathAttribute.Origin.IGP_ORIGIN,
                AsPath.sequence(65002),
                new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, nh, List.of(Nlri.parse("2001:db8:1::/48")))), List.of());
        List<Fields> bgp = dissect(List.of(encode(v6, SessionCodecContext.FOUR_OCTET),
                encode(new RouteRefreshMessage(AfiSafi.IPV4_UNICAST, RouteRefreshMessage.BEGIN_OF_RIB),
                        SessionCodecContext.FOUR_OCTET)));
        assertEquals(2, bgp.size());
        Fields a = bgp.get(0);
        assertEquals("2001:db8::1", a.one("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"));
        assertEquals("fe80::1", a.one("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local"));
        assertEquals(List.of("2001:db8:1::/48"), a.prefixes("bgp.mp_reach_nlri_ipv6_prefix"));
        Fields borr = bgp.get(1);
        assertEquals(List.of("1", "1", "1"), List.of(borr.one("bgp.route_refresh.afi"),
                borr.one("bgp.route_refresh.subtype"), borr.one("bgp.route_refresh.safi")));
    }

    /** The bytes of {@code message} at a span "offset+size" from {@link Fields#spans}, as hex. */
    private static String hexAt(byte[] message, String span) {
        String[] p = span.split("\\+");
        int from = Integer.parseInt(p[0]);
        return java.util.HexFormat.of().formatHex(message, from, from + Integer.parseInt(p[1]));
    }

    private static int v4(String dotted) throws Exception {
        byte[] b = InetAddress.getByName(dotted).getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static byte[] encode(BgpMessage msg, SessionCodecContext ctx) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpMessageCodec.encode(msg, ctx, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Writes the pcap, checks tshark's verbose output is clean, returns one Fields per BGP message. */
    private List<Fields> dissect(List<byte[]> segments) throws Exception {
        return dissect(segments, "4 octet");
    }

    /** {@code asnLength}: tshark's bgp.asn_len preference, "2 octet" for messages of a 2-octet session. */
    private List<Fields> dissect(List<byte[]> segments, String asnLength) throws Exception {
        Path pcap = dir.resolve("bgp.pcap");
        try (PcapWriter w = new PcapWriter(pcap)) {
            for (byte[] s : segments) w.segment(s);
        }
        String verbose = run(pcap, asnLength, "-V");
        assertFalse(verbose.contains("Malformed"), verbose);
        assertFalse(verbose.contains("Expert Info (Error"), verbose);
        assertFalse(verbose.contains("Expert Info (Warning"), verbose);

        Path pdml = dir.resolve("bgp.pdml");
        Files.writeString(pdml, run(pcap, asnLength, "-T", "pdml"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(pdml.toFile());
        NodeList protos = doc.getElementsByTagName("proto");
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < protos.getLength(); i++) {
            Element proto = (Element) protos.item(i);
            if (!"bgp".equals(proto.getAttribute("name"))) continue;
            Map<String, List<String>> values = new LinkedHashMap<>();
            Map<String, List<String>> raw = new LinkedHashMap<>();
            int markerPos = 0;
            List<String[]> ordered = new ArrayList<>();
            NodeList fields = proto.getElementsByTagName("field");
            for (int j = 0; j < fields.getLength(); j++) {
                Element e = (Element) fields.item(j);
                values.computeIfAbsent(e.getAttribute("name"), k -> new ArrayList<>()).add(e.getAttribute("show"));
                ordered.add(new String[] {e.getAttribute("name"), e.getAttribute("show")});
                if (e.getAttribute("name").equals("bgp.marker")) markerPos = Integer.parseInt(e.getAttribute("pos"));
                raw.computeIfAbsent(e.getAttribute("name"), k -> new ArrayList<>())
                        .add((Integer.parseInt(e.getAttribute("pos")) - markerPos) + "+" + e.getAttribute("size"));
            }
            out.add(new Fields(values, ordered, raw));
        }
        return out;
    }

    private String run(Path pcap, String asnLength, String... format) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tshark, "-n", "-r", pcap.toString(),
                "-o", "tcp.check_checksum:FALSE", "-o", "bgp.asn_len:" + asnLength, "-d", "tcp.port==179,bgp"));
        cmd.addAll(List.of(format));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // A private, empty configuration directory: no user prefs, nothing written to $HOME.
        Path conf = Files.createDirectories(dir.resolve("wireshark-conf"));
        pb.environment().put("WIRESHARK_CONFIG_DIR", conf.toString());
        pb.environment().put("HOME", dir.toString());
        Path stderr = dir.resolve("tshark.err");
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, p.exitValue(), "tshark failed: " + Files.readString(stderr));
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
