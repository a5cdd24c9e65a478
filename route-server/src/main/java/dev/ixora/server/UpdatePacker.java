package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.MessageHeader;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateCodec;
import dev.ixora.codec.UpdateMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs announcements and withdrawals into as few UPDATEs as fit the session's maximum message
 * size (RFC 4271 section 4.3, RFC 8654): NLRI with equal outgoing attributes share one UPDATE;
 * IPv4 uses the classic Withdrawn Routes and NLRI fields, IPv6 MP_REACH_NLRI / MP_UNREACH_NLRI
 * (RFC 4760 section 3 and 4). Withdrawals come first, so a prefix withdrawn and re-announced in
 * one batch ends announced.
 */
final class UpdatePacker {
    private UpdatePacker() {}

    record Announce(Nlri nlri, ExportAttributes.Out out) {}

    static List<UpdateMessage> pack(List<Announce> announce, List<Nlri> withdraw, SessionCodecContext ctx) {
        int max = ctx.maxMessageLength();
        List<UpdateMessage> msgs = new ArrayList<>();
        List<Nlri> v4 = new ArrayList<>();
        List<Nlri> v6 = new ArrayList<>();
        for (Nlri n : withdraw) (n.prefix().v6() ? v6 : v4).add(n);
        boolean v4Path = ctx.addPathSend().contains(AfiSafi.IPV4_UNICAST);
        boolean v6Path = ctx.addPathSend().contains(AfiSafi.IPV6_UNICAST);
        // 19 header + 2 + 2 length fields; each NLRI 1 + its bytes (+ 4 with ADD-PATH, RFC 7911 section 3)
        chunks(v4, max - MessageHeader.LENGTH - 4, v4Path, c -> msgs.add(new UpdateMessage(c, List.of(), List.of())));
        // MP_UNREACH: 4 attribute header (extended length) + 3 AFI/SAFI
        chunks(v6, max - MessageHeader.LENGTH - 4 - 7, v6Path, c -> msgs.add(new UpdateMessage(List.of(),
                List.of(new PathAttribute.MpUnreach(AfiSafi.IPV6_UNICAST, c)), List.of())));

        Map<ExportAttributes.Out, List<Nlri>> byAttrs = new LinkedHashMap<>();
        for (Announce a : announce) byAttrs.computeIfAbsent(a.out(), k -> new ArrayList<>()).add(a.nlri());
        for (Map.Entry<ExportAttributes.Out, List<Nlri>> e : byAttrs.entrySet()) {
            ExportAttributes.Out out = e.getKey();
            List<Nlri> nlri = e.getValue();
            boolean v6Group = nlri.get(0).prefix().v6();
            List<PathAttribute> attrs = new ArrayList<>(out.attributes().list());
            UpdateMessage base;
            if (v6Group) {
                base = new UpdateMessage(List.of(), withMp(attrs, out.nextHop(), List.of()), List.of());
            } else {
                attrs.add(new PathAttribute.NextHop(toInt(out.nextHop())));
                base = new UpdateMessage(List.of(), attrs, List.of());
            }
            // +1: MP_REACH may switch to the 2-byte extended length once it holds NLRI
            int room = max - MessageHeader.LENGTH - UpdateCodec.bodyLength(base, ctx) - 1;
            if (room < 40) throw new IllegalArgumentException("attributes too long for one UPDATE: " + out.attributes());
            if (v6Group) {
                chunks(nlri, room, v6Path, c -> msgs.add(new UpdateMessage(List.of(), withMp(attrs, out.nextHop(), c), List.of())));
            } else {
                chunks(nlri, room, v4Path, c -> msgs.add(new UpdateMessage(List.of(), attrs, c)));
            }
        }
        return msgs;
    }

    private static List<PathAttribute> withMp(List<PathAttribute> attrs, byte[] nextHop, List<Nlri> nlri) {
        List<PathAttribute> l = new ArrayList<>(attrs);
        l.add(new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST, nextHop, nlri));
        return l;
    }

    private static void chunks(List<Nlri> nlri, int room, boolean addPath, java.util.function.Consumer<List<Nlri>> sink) {
        int from = 0;
        int used = 0;
        for (int i = 0; i < nlri.size(); i++) {
            int size = 1 + nlri.get(i).prefix().wireBytes() + (addPath ? 4 : 0);
            if (used + size > room) {
                sink.accept(List.copyOf(nlri.subList(from, i)));
                from = i;
                used = 0;
            }
            used += size;
        }
        if (from < nlri.size()) sink.accept(List.copyOf(nlri.subList(from, nlri.size())));
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
