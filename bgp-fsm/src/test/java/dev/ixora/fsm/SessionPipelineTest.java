package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.AsPath;
import dev.ixora.codec.BgpError;
import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.Capability;
import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.Nlri;
import dev.ixora.codec.NotificationMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.PathAttribute;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session's Netty pipeline (frame decoder + session handler) on an {@link EmbeddedChannel}:
 * no sockets, virtual time. Proves every inbound buffer is released exactly once on every path
 * (whole and split frames, framing errors, UPDATE errors, bytes after a close), that decode
 * problems become NOTIFICATIONs rather than exceptions, the KeepaliveTimer restart on UPDATEs sent,
 * and DelayOpen on the wire. Netty's paranoid leak detector runs (surefire) and must report nothing.
 */
class SessionPipelineTest {
    static {
        LeakCounter.install();
    }

    static final long ID_A = 0x0A000001L;
    static final long ID_B = 0x0A000002L;
    static final String MARKER = "ffffffffffffffffffffffffffffffff";

    final SpeakerTest.Events events = new SpeakerTest.Events();
    final List<ByteBuf> inputs = new ArrayList<>();
    BgpSpeaker speaker;
    EmbeddedChannel ch;
    BgpSession session;

    @AfterAll
    static void noLeaks() throws InterruptedException {
        int leaks = LeakCounter.collect();
        LeakCounter.assertInstalled();
        assertEquals(0, leaks, "ByteBuf leaks reported by Netty's paranoid detector");
    }

    @AfterEach
    void everyInputReleased() {
        if (ch != null) ch.finishAndReleaseAll();
        for (ByteBuf b : inputs) assertEquals(0, b.refCnt(), "inbound buffer not released");
        if (speaker != null) speaker.shutdown("test over");
    }

    /** A passive session for 127.0.0.3 AS 65003, accepting the embedded channel as its connection. */
    void start(PeerSettings.Builder b) throws Exception {
        speaker = new BgpSpeaker(new SpeakerSettings(65001, ID_A, List.of(), 1), events);
        ch = new EmbeddedChannel();
        ch.freezeTime();
        PeerSettings settings = b.localAsn(65001).routerId(ID_A).passive(true).build();
        session = new BgpSession(settings, (EventLoop) ch.eventLoop(), speaker);
        session.start();
        session.accept(ch);
    }

    static PeerSettings.Builder peer() throws Exception {
        return PeerSettings.builder("emb", InetAddress.getByName("127.0.0.3"), 65003);
    }

    static byte[] bytes(BgpMessage m, SessionCodecContext ctx) {
        ByteBuf b = BgpMessageCodec.encode(m, ctx, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    /** Writes bytes in a pooled direct buffer (what epoll hands us) and remembers it for the release check. */
    void in(byte[] data) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
        inputs.add(b);
        ch.writeInbound(b);
        assertNull(ch.readInbound(), "the session handler passes nothing on");
    }

    /** Everything the session wrote since the last call, decoded; the outbound buffers are released. */
    List<BgpMessage> out() {
        List<BgpMessage> msgs = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            try {
                while (b.isReadable()) {
                    int len = b.getUnsignedShort(b.readerIndex() + 16);
                    DecodeResult r = BgpMessageCodec.decode(b.slice(b.readerIndex(), len), SessionCodecContext.FOUR_OCTET);
                    msgs.add(((DecodeResult.Decoded) r).message());
                    b.skipBytes(len);
                }
            } finally {
                b.release();
            }
        }
        return msgs;
    }

    static final OpenMessage PEER_OPEN = new OpenMessage(4, 65003, 3, ID_B, List.of(new Capability.FourOctetAs(65003)));

    /** OPEN and KEEPALIVE from the peer, in one read cut at awkward places. */
    void establish() throws InterruptedException {
        byte[] open = bytes(PEER_OPEN, SessionCodecContext.INITIAL);
        byte[] ka = bytes(KeepaliveMessage.INSTANCE, SessionCodecContext.INITIAL);
        byte[] both = new byte[open.length + ka.length];
        System.arraycopy(open, 0, both, 0, open.length);
        System.arraycopy(ka, 0, both, open.length, ka.length);
        // Cut inside the marker, inside the length field, and across the message boundary.
        int[] cuts = {0, 7, 17, open.length + 3, both.length};
        for (int i = 1; i < cuts.length; i++) in(java.util.Arrays.copyOfRange(both, cuts[i - 1], cuts[i]));
        events.await(SessionEvent.Established.class);
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    @Test
    void establishesFromSplitReadsAndDeliversAnUpdate() throws Exception {
        start(peer());
        assertInstanceOf(OpenMessage.class, out().get(0));
        establish();
        assertEquals(List.of(KeepaliveMessage.INSTANCE), out());
        UpdateMessage u = UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(65003),
                PathAttribute.NextHop.parse("198.18.0.3")), List.of(Nlri.parse("203.0.113.0/24")));
        in(bytes(u, SessionCodecContext.FOUR_OCTET));
        assertEquals(u, events.await(SessionEvent.UpdateReceived.class).update());
        assertTrue(ch.isOpen());
    }

    @Test
    void treatAsWithdrawKeepsTheSessionAndDeliversWithdrawals() throws Exception {
        start(peer());
        out();
        establish();
        // ORIGIN 5 is undefined: RFC 7606 section 7.1, treat-as-withdraw.
        in(hex(MARKER + "002f 02 0000 0014 40010105 4002060201 0000fdeb 400304c6120003 18cb0071"));
        UpdateMessage got = events.await(SessionEvent.UpdateReceived.class).update();
        assertTrue(got.announced().isEmpty(), got.toString());
        assertEquals("203.0.113.0/24", got.withdrawnAll().get(0).nlri().prefix().toString());
        assertTrue(ch.isOpen());
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    @Test
    void malformedUpdateResetsWithItsNotificationAndReleasesWhatFollows() throws Exception {
        start(peer());
        out();
        establish();
        out();
        // Withdrawn Routes Length 255 in a 23-byte UPDATE: RFC 7606 section 5.3 / RFC 4271 6.3, 3/1.
        // A KEEPALIVE follows in the same read: it arrives after the drop and is released unprocessed.
        byte[] bad = hex(MARKER + "0017 02 00ff 0000");
        byte[] ka = bytes(KeepaliveMessage.INSTANCE, SessionCodecContext.INITIAL);
        byte[] both = new byte[bad.length + ka.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(ka, 0, both, bad.length, ka.length);
        in(both);
        List<BgpMessage> sent = out();
        assertEquals(1, sent.size(), sent.toString());
        NotificationMessage n = (NotificationMessage) sent.get(0);
        assertEquals(BgpError.UPDATE_MESSAGE_ERROR, n.code());
        assertEquals(1, n.subcode());
        assertEquals(Reason.UPDATE_ERROR, events.await(SessionEvent.Down.class).reason());
        assertFalse(ch.isOpen());
        assertEquals(2, session.stats().messagesReceived(),
                "OPEN and KEEPALIVE; the bad UPDATE decoded to an error, the late KEEPALIVE was not processed");
    }

    @Test
    void framingErrorSendsHeaderNotificationAndDiscardsTheRestOfTheRead() throws Exception {
        start(peer());
        out();
        establish();
        out();
        // Bad marker, then a valid KEEPALIVE in the same read: after a framing error nothing counts.
        byte[] bad = hex("00" + MARKER.substring(2) + "0013 04");
        byte[] ka = bytes(KeepaliveMessage.INSTANCE, SessionCodecContext.INITIAL);
        byte[] both = new byte[bad.length + ka.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(ka, 0, both, bad.length, ka.length);
        in(both);
        NotificationMessage n = (NotificationMessage) out().get(0);
        assertEquals(BgpError.MESSAGE_HEADER_ERROR, n.code());
        assertEquals(1, n.subcode());
        assertEquals(Reason.HEADER_ERROR, events.await(SessionEvent.Down.class).reason());
        assertFalse(ch.isOpen());
    }

    @Test
    void openErrorBeforeEstablishedIsAnswered() throws Exception {
        start(peer());
        out();
        // Hold Time 1: RFC 4271 section 6.2, Unacceptable Hold Time, decided by the codec.
        byte[] b = bytes(new OpenMessage(4, 65003, 90, ID_B, List.of()), SessionCodecContext.INITIAL);
        b[19 + 3] = 0;
        b[19 + 4] = 1;
        in(b);
        NotificationMessage n = (NotificationMessage) out().get(0);
        assertEquals(new NotificationMessage(BgpError.OPEN_MESSAGE_ERROR, 6), n);
        assertFalse(ch.isOpen());
    }

    @Test
    void anUpdateSentPostponesTheNextKeepalive() throws Exception {
        start(peer());
        out();
        establish(); // hold 3 s (the peer's), keepalive 1 s with 0.75-1.0 jitter
        out();
        ch.advanceTimeBy(700, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(), out(), "no KEEPALIVE before 750 ms");
        UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
        assertTrue(session.send(eor));
        ch.runPendingTasks(); // the queued KeepaliveTimer restart
        ch.advanceTimeBy(700, TimeUnit.MILLISECONDS); // t = 1.4 s: the timer started at 0 would have fired
        ch.runScheduledPendingTasks();
        assertEquals(List.of(eor), out(), "RFC 4271 8.2.2: the UPDATE at 0.7 s restarted the KeepaliveTimer");
        // t = 2.1 s: one KEEPALIVE, due between 1.45 and 1.7 s; the next is due at 2.2 s at the earliest.
        ch.advanceTimeBy(700, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(KeepaliveMessage.INSTANCE), out());
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    /**
     * UPDATEs are decoded in the frame decoder: one arriving in the same read as the OPEN and
     * KEEPALIVE must be decoded with what the OPENs negotiated (here 4-octet AS, RFC 6793), and the
     * attribute cache must not mix what two reads carried.
     */
    @Test
    void anUpdateInTheSameReadAsTheOpenIsDecodedWithTheNegotiatedContext() throws Exception {
        start(peer());
        out();
        UpdateMessage u = UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(4200000003L),
                PathAttribute.NextHop.parse("198.18.0.3")), List.of(Nlri.parse("203.0.113.0/24")));
        UpdateMessage v = UpdateMessage.announce(u.attributes(), List.of(Nlri.parse("198.51.100.0/24")));
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(bytes(PEER_OPEN, SessionCodecContext.INITIAL));
        all.write(bytes(KeepaliveMessage.INSTANCE, SessionCodecContext.INITIAL));
        all.write(bytes(u, SessionCodecContext.FOUR_OCTET));
        all.write(bytes(v, SessionCodecContext.FOUR_OCTET));
        in(all.toByteArray());
        events.await(SessionEvent.Established.class);
        assertEquals(u, events.await(SessionEvent.UpdateReceived.class).update());
        assertEquals(v, events.await(SessionEvent.UpdateReceived.class).update());
        in(bytes(u, SessionCodecContext.FOUR_OCTET));
        assertEquals(u, events.await(SessionEvent.UpdateReceived.class).update());
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    static UpdateMessage announcement(int i) {
        return UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(65003, 64000 + i % 7),
                PathAttribute.NextHop.parse("198.18.0.3")), List.of(Nlri.parse("10." + (i >> 8) + "." + (i & 0xFF) + ".0/24"),
                Nlri.parse("172.16." + (i & 0xFF) + ".0/24")));
    }

    static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }

    /**
     * The Established fast path and the framer's runs of UPDATEs: one read of 300 UPDATEs (more
     * than one scratch copy), with a KEEPALIVE and a treat-as-withdraw UPDATE among them, is
     * delivered message by message in order, exactly as the FSM's path delivers; the counters
     * include them when the read ends, and the listener hears of that end after the last UPDATE.
     */
    @Test
    void aReadOfManyUpdatesIsDeliveredInOrderAndEndsWithReadComplete() throws Exception {
        start(peer());
        out();
        establish();
        out();
        long messagesBefore = session.stats().messagesReceived();
        long updatesBefore = session.stats().updatesReceived();
        List<byte[]> wire = new ArrayList<>();
        List<UpdateMessage> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UpdateMessage u = announcement(i);
            wire.add(bytes(u, SessionCodecContext.FOUR_OCTET));
            expected.add(u);
            if (i == 100) wire.add(bytes(KeepaliveMessage.INSTANCE, SessionCodecContext.FOUR_OCTET));
            if (i == 200) {
                // ORIGIN 5 is undefined: RFC 7606 section 7.1, treat-as-withdraw (the FSM's path, with its warning)
                wire.add(hex(MARKER + "002f 02 0000 0014 40010105 4002060201 0000fdeb 400304c6120003 18cb0071"));
                expected.add(new UpdateMessage(List.of(Nlri.parse("203.0.113.0/24")), List.of(), List.of()));
            }
        }
        assertTrue(concat(wire).length > 4096 * 3, "several scratch copies");
        events.order.clear();
        in(concat(wire));
        for (UpdateMessage u : expected) assertEquals(u, events.await(SessionEvent.UpdateReceived.class).update());
        assertEquals(SessionState.ESTABLISHED, session.state());
        assertTrue(ch.isOpen());
        assertEquals(messagesBefore + 302, session.stats().messagesReceived());
        assertEquals(updatesBefore + 301, session.stats().updatesReceived());
        List<Object> order = List.copyOf(events.order);
        assertEquals(301, order.stream().filter(o -> o instanceof SessionEvent.UpdateReceived).count());
        assertEquals("read-complete emb", order.get(order.size() - 1), "the end of the read comes after its UPDATEs");
    }

    /**
     * The fast path is for Established only: an UPDATE that arrives in OpenConfirm (the peer's OPEN
     * but not its KEEPALIVE) is event 27 there, an FSM error (RFC 6608 subcode 2), and is not delivered.
     */
    @Test
    void anUpdateBeforeEstablishedIsAnFsmErrorNotADelivery() throws Exception {
        start(peer());
        out();
        in(concat(List.of(bytes(PEER_OPEN, SessionCodecContext.INITIAL), bytes(announcement(1), SessionCodecContext.FOUR_OCTET))));
        assertEquals(Reason.FSM_ERROR, events.await(SessionEvent.StateChanged.class, e -> e.to() == SessionState.IDLE).reason());
        List<BgpMessage> sent = out();
        assertEquals(new NotificationMessage(BgpError.FSM_ERROR, 2), sent.get(sent.size() - 1));
        assertTrue(events.seen.stream().noneMatch(e -> e instanceof SessionEvent.UpdateReceived));
        assertTrue(events.queue.stream().noneMatch(e -> e instanceof SessionEvent.UpdateReceived));
        assertFalse(ch.isOpen());
    }

    /** A malformed UPDATE in the middle of a run: those before it are delivered, then the reset; nothing after it counts. */
    @Test
    void aMalformedUpdateInARunResetsAfterTheUpdatesBeforeIt() throws Exception {
        start(peer());
        out();
        establish();
        out();
        // Withdrawn Routes Length 255 in a 23-byte UPDATE: RFC 7606 section 5.3 / RFC 4271 6.3, 3/1.
        in(concat(List.of(bytes(announcement(1), SessionCodecContext.FOUR_OCTET), bytes(announcement(2), SessionCodecContext.FOUR_OCTET),
                hex(MARKER + "0017 02 00ff 0000"), bytes(announcement(3), SessionCodecContext.FOUR_OCTET))));
        assertEquals(announcement(1), events.await(SessionEvent.UpdateReceived.class).update());
        assertEquals(announcement(2), events.await(SessionEvent.UpdateReceived.class).update());
        assertEquals(Reason.UPDATE_ERROR, events.await(SessionEvent.Down.class).reason());
        List<BgpMessage> sent = out();
        NotificationMessage n = (NotificationMessage) sent.get(sent.size() - 1);
        assertEquals(BgpError.UPDATE_MESSAGE_ERROR, n.code());
        assertEquals(1, n.subcode());
        assertFalse(ch.isOpen());
        assertEquals(4, session.stats().messagesReceived(), "OPEN, KEEPALIVE and the two good UPDATEs");
        assertTrue(events.queue.stream().noneMatch(e -> e instanceof SessionEvent.UpdateReceived), "nothing after the bad one");
    }

    /**
     * RFC 4271 8.2.2: every UPDATE restarts the HoldTimer. The restart only moves a deadline (the
     * scheduled task re-arms itself when it fires early): the expiry must still come exactly one
     * hold time after the last UPDATE, not at the first deadline and not later.
     */
    @Test
    void updatesPostponeTheHoldTimerToOneHoldTimeAfterTheLast() throws Exception {
        start(peer());
        out();
        establish(); // hold 3 s, started at t = 0
        UpdateMessage u = UpdateMessage.announce(List.of(PathAttribute.Origin.IGP_ORIGIN, AsPath.sequence(65003),
                PathAttribute.NextHop.parse("198.18.0.3")), List.of(Nlri.parse("203.0.113.0/24")));
        for (int i = 0; i < 4; i++) { // UPDATEs at t = 1.5, 3.0, 4.5 and 6.0 s
            ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertEquals(SessionState.ESTABLISHED, session.state(), "t = " + (i + 1) * 1.5);
            in(bytes(u, SessionCodecContext.FOUR_OCTET));
            assertEquals(u, events.await(SessionEvent.UpdateReceived.class).update());
        }
        ch.advanceTimeBy(2900, TimeUnit.MILLISECONDS); // t = 8.9 s
        ch.runScheduledPendingTasks();
        assertEquals(SessionState.ESTABLISHED, session.state(), "3 s after the last UPDATE have not passed");
        out();
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS); // t = 9.1 s
        ch.runScheduledPendingTasks();
        assertEquals(Reason.HOLD_TIMER_EXPIRED, events.await(SessionEvent.Down.class).reason());
        List<BgpMessage> sent = out();
        assertEquals(new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, 0), sent.get(sent.size() - 1));
    }

    /** Without UPDATEs the HoldTimer (restarted by the KEEPALIVE that established the session) expires on time. */
    @Test
    void holdTimerWithoutUpdatesExpiresAfterTheHoldTime() throws Exception {
        start(peer());
        out();
        establish();
        ch.advanceTimeBy(2900, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(SessionState.ESTABLISHED, session.state());
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(Reason.HOLD_TIMER_EXPIRED, events.await(SessionEvent.Down.class).reason());
    }

    @Test
    void withoutUpdatesKeepalivesFollowTheTimer() throws Exception {
        start(peer());
        out();
        establish();
        out();
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(KeepaliveMessage.INSTANCE), out(), "keepalive within 1 s (jitter 0.75-1.0)");
    }

    @Test
    void delayOpenSendsNothingUntilThePeerSpeaks() throws Exception {
        start(peer().delayOpenSeconds(10));
        assertEquals(List.of(), out(), "RFC 4271 8.1.1 DelayOpen: our OPEN waits");
        in(bytes(PEER_OPEN, SessionCodecContext.INITIAL));
        List<BgpMessage> sent = out();
        assertEquals(2, sent.size(), sent.toString());
        assertInstanceOf(OpenMessage.class, sent.get(0));
        assertEquals(KeepaliveMessage.INSTANCE, sent.get(1));
    }

    @Test
    void delayOpenExpirySendsOurOpen() throws Exception {
        start(peer().delayOpenSeconds(10));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(), out());
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertInstanceOf(OpenMessage.class, out().get(0));
        assertEquals(SessionState.OPEN_SENT, session.state());
    }

    /** Issue 2: every state change is logged with the peer and a reason (slf4j-simple writes to System.err). */
    @Test
    void everyStateChangeIsLoggedWithPeerAndReason() throws Exception {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            start(peer());
            establish();
        } finally {
            System.setErr(err);
        }
        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String change : List.of("Idle->Active reason=MANUAL_START", "Active->OpenSent reason=TCP_CONNECTED",
                "OpenSent->OpenConfirm reason=OPEN_RECEIVED", "OpenConfirm->Established reason=KEEPALIVE_RECEIVED")) {
            assertTrue(text.contains("peer=emb addr=127.0.0.3 as=65003 state " + change), change + " in:\n" + text);
        }
    }
}
