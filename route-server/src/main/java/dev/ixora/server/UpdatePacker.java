package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.MessageHeader;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.Prefix;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateCodec;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
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

    /**
     * The input of {@link #writeV4}: IPv4 prefixes as columns (address, length, what each leaves
     * with), and the scratch the packing needs; the caller keeps one and reuses it (no arrays per
     * chunk). Not thread-safe.
     */
    static final class V4Batch {
        int[] addresses = new int[64];
        byte[] lengths = new byte[64];
        /** Per prefix: what it leaves with, or null for a withdrawal. */
        ExportAttributes.Out[] outs = new ExportAttributes.Out[64];
        int n;
        private int[] next = new int[64];
        private ExportAttributes.Out[] groupOut = new ExportAttributes.Out[8];
        private int[] head = new int[8];
        private int[] tail = new int[8];
        private byte[] nlri = new byte[0];

        /** Scratch for the NLRI of one UPDATE of at most {@code max} bytes. */
        private byte[] nlri(int max) {
            if (nlri.length < max) nlri = new byte[max];
            return nlri;
        }

        /** Adds an IPv4 prefix (address in the low 32 bits of {@code lo}, as {@link Prefix#lo()}), at most once per batch. */
        void add(long lo, int length, ExportAttributes.Out out) {
            if (n == addresses.length) {
                int c = n * 2;
                addresses = java.util.Arrays.copyOf(addresses, c);
                lengths = java.util.Arrays.copyOf(lengths, c);
                outs = java.util.Arrays.copyOf(outs, c);
                next = new int[c];
            }
            addresses[n] = (int) lo;
            lengths[n] = (byte) length;
            outs[n++] = out;
            if (out == null) withdrawals++;
            else if (first == null) first = out;
            else if (out != first) mixed = true;
        }

        private int withdrawals;
        /** The first announcement's Out; {@link #mixed}: some other announcement has another Out object. */
        private ExportAttributes.Out first;
        private boolean mixed;

        void add(Prefix p, ExportAttributes.Out out) {
            add(p.lo(), p.length(), out);
        }

        /** Empties the batch (and lets go of the Outs it held). */
        void clear() {
            java.util.Arrays.fill(outs, 0, n, null);
            java.util.Arrays.fill(groupOut, null);
            n = 0;
            withdrawals = 0;
            first = null;
            mixed = false;
        }
    }

    /**
     * IPv4 without ADD-PATH, written straight into {@code buf}: the same UPDATEs {@link #pack} and
     * the codec make (withdrawals first, then announcements grouped by outgoing attributes in the
     * order they first come, as many NLRI per UPDATE as fit), without an object per prefix.
     *
     * @param batch the prefixes, each at most once, and what each leaves with (null: a withdrawal)
     * @param attributes per distinct {@code Out}: its path attributes as they go on the wire, NEXT_HOP
     *     included ({@link #attributeBytes})
     * @return the number of UPDATEs written
     */
    static int writeV4(V4Batch batch, SessionCodecContext ctx, ByteBuf buf,
                       java.util.function.Function<ExportAttributes.Out, byte[]> attributes) {
        int n = batch.n;
        ExportAttributes.Out[] outs = batch.outs;
        int max = ctx.maxMessageLength();
        int msgs = 0;
        if (batch.withdrawals > 0) msgs += writeRun(batch, max, buf, null, following(outs, 0, n, false), null);
        if (batch.first == null) return msgs;
        if (!batch.mixed) { // the usual case: every announcement leaves with the same Out, in order
            byte[] attrs = attributes.apply(batch.first);
            checkRoom(max, attrs, batch.first);
            return msgs + writeRun(batch, max, buf, attrs, following(outs, 0, n, true), null);
        }
        // announcements: group by Out (identity, then value), first-come order, linked through next[]
        int[] next = batch.next;
        ExportAttributes.Out[] groupOut = batch.groupOut;
        int[] head = batch.head;
        int[] tail = batch.tail;
        int groups = 0;
        int last = -1;
        java.util.Map<ExportAttributes.Out, Integer> many = null;
        for (int i = 0; i < n; i++) {
            ExportAttributes.Out o = outs[i];
            if (o == null) continue;
            next[i] = -1;
            int g = -1;
            if (last >= 0 && groupOut[last] == o) {
                g = last;
            } else if (many != null) {
                Integer x = many.get(o);
                if (x != null) g = x;
            } else {
                for (int x = 0; x < groups; x++) if (groupOut[x] == o || groupOut[x].equals(o)) g = x;
            }
            if (g < 0) {
                if (groups == groupOut.length) {
                    batch.groupOut = groupOut = java.util.Arrays.copyOf(groupOut, groups * 2);
                    batch.head = head = java.util.Arrays.copyOf(head, groups * 2);
                    batch.tail = tail = java.util.Arrays.copyOf(tail, groups * 2);
                }
                if (groups == 16 && many == null) {
                    many = new java.util.HashMap<>();
                    for (int x = 0; x < groups; x++) many.put(groupOut[x], x);
                }
                g = groups++;
                groupOut[g] = o;
                head[g] = i;
                if (many != null) many.put(o, g);
            } else {
                next[tail[g]] = i;
            }
            tail[g] = i;
            last = g;
        }
        for (int g = 0; g < groups; g++) {
            byte[] attrs = attributes.apply(groupOut[g]);
            checkRoom(max, attrs, groupOut[g]);
            msgs += writeRun(batch, max, buf, attrs, head[g], next);
        }
        return msgs;
    }

    /**
     * Writes the batch's prefixes {@code first}, then {@code next[i]} after i (-1 ends), or with
     * {@code next} null the following prefixes of the same kind, in as many UPDATEs of at most
     * {@code max} bytes as they need: withdrawals when {@code attrs} is null (Withdrawn Routes field,
     * no attributes), else announcements with those attributes. Returns the number of UPDATEs.
     */
    private static int writeRun(V4Batch batch, int max, ByteBuf buf, byte[] attrs, int first, int[] next) {
        boolean announce = attrs != null;
        int n = batch.n;
        int[] addresses = batch.addresses;
        byte[] lengths = batch.lengths;
        byte[] nl = batch.nlri(max);
        int fixed = MessageHeader.LENGTH + 4 + (announce ? attrs.length : 0); // header, both length fields, attributes
        int msgs = 0;
        int k = 0; // NLRI bytes of the open UPDATE, in nl[0, k): written to buf when it closes
        for (int i = first; i >= 0; i = next != null ? next[i] : following(batch.outs, i + 1, n, announce)) {
            int bits = lengths[i] & 0xFF;
            if (k > 0 && fixed + k + 1 + ((bits + 7) >>> 3) > max) {
                write(buf, attrs, nl, k);
                msgs++;
                k = 0;
            }
            k = putNlri(nl, k, bits, addresses[i]);
        }
        if (k > 0) {
            write(buf, attrs, nl, k);
            msgs++;
        }
        return msgs;
    }

    /** The first index from {@code from} on that is an announcement (or, without {@code announce}, a withdrawal); -1 when none. */
    private static int following(ExportAttributes.Out[] outs, int from, int n, boolean announce) {
        for (int i = from; i < n; i++) if ((outs[i] != null) == announce) return i;
        return -1;
    }

    /** As {@link #pack}: the room left for NLRI must hold a few prefixes. */
    private static void checkRoom(int max, byte[] attrs, ExportAttributes.Out out) {
        if (max - MessageHeader.LENGTH - 4 - attrs.length - 1 < 40) {
            throw new IllegalArgumentException("attributes too long for one UPDATE: " + out.attributes());
        }
    }

    /** The path attributes of an IPv4 UPDATE carrying {@code out}, NEXT_HOP included, as the codec writes them. */
    static byte[] attributeBytes(ExportAttributes.Out out, SessionCodecContext ctx) {
        List<PathAttribute> attrs = new ArrayList<>(out.attributes().list());
        attrs.add(new PathAttribute.NextHop(toInt(out.nextHop())));
        io.netty.buffer.ByteBuf tmp = io.netty.buffer.Unpooled.buffer(64);
        try {
            UpdateCodec.encodeBody(new UpdateMessage(List.of(), attrs, List.of()), ctx, tmp);
            tmp.skipBytes(4); // Withdrawn Routes Length, Total Path Attribute Length
            return io.netty.buffer.ByteBufUtil.getBytes(tmp);
        } finally {
            tmp.release();
        }
    }

    /** RFC 4271 section 4.1: Marker (all ones), Length, Type 2 = UPDATE. */
    private static void header(ByteBuf buf, int length) {
        buf.writeLong(-1L).writeLong(-1L);
        buf.writeMedium(length << 8 | 2);
    }

    /** An UPDATE with the IPv4 prefixes in {@code nl[0, k)}: withdrawn when {@code attrs} is null, else announced with them. */
    private static void write(ByteBuf buf, byte[] attrs, byte[] nl, int k) {
        if (attrs == null) writeWithdrawals(buf, nl, k);
        else writeAnnouncements(buf, attrs, nl, k);
    }

    /** An UPDATE that only withdraws the IPv4 prefixes in {@code nl[0, k)} (RFC 4271 section 4.3). */
    private static void writeWithdrawals(ByteBuf buf, byte[] nl, int k) {
        header(buf, MessageHeader.LENGTH + 4 + k);
        buf.writeShort(k); // Withdrawn Routes Length
        buf.writeBytes(nl, 0, k);
        buf.writeShort(0); // Total Path Attribute Length
    }

    /** An UPDATE announcing the IPv4 prefixes in {@code nl[0, k)} with the given attributes. */
    private static void writeAnnouncements(ByteBuf buf, byte[] attrs, byte[] nl, int k) {
        header(buf, MessageHeader.LENGTH + 4 + attrs.length + k);
        buf.writeShort(0); // no withdrawals
        buf.writeShort(attrs.length);
        buf.writeBytes(attrs);
        buf.writeBytes(nl, 0, k);
    }

    /** Puts one NLRI at {@code nl[k]}: RFC 4271 section 4.3, length in bits, then the fewest octets that hold it; the new end. */
    private static int putNlri(byte[] nl, int k, int bits, int a) {
        nl[k++] = (byte) bits;
        int bytes = (bits + 7) >>> 3;
        for (int shift = 24, end = k + bytes; k < end; shift -= 8) nl[k++] = (byte) (a >>> shift);
        return k;
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
