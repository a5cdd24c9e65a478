package dev.ixora.server;

import dev.ixora.codec.AfiSafi;
import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.Capability;
import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.KeepaliveMessage;
import dev.ixora.codec.OpenMessage;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A BGP client by hand over a plain socket, for what an in-process speaker cannot do: stop reading
 * (a blocked client), drop the TCP connection without a NOTIFICATION (a graceful restart), and
 * advertise Graceful Restart for a family. Hold time 0 (RFC 4271 section 4.2): no keepalives, so
 * a client that does not read is not timed out.
 */
final class RawClient implements AutoCloseable {
    static final SessionCodecContext CTX = new SessionCodecContext(true, java.util.Set.of(), java.util.Set.of(), false);

    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects, exchanges OPEN and KEEPALIVE; returns once the session is Established on our side. */
    RawClient(String address, long asn, InetSocketAddress daemon, int receiveBuffer, Integer gracefulRestartTime)
            throws IOException {
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(daemon, 10_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        List<Capability> caps = new ArrayList<>(List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.FourOctetAs(asn)));
        if (gracefulRestartTime != null) {
            caps.add(new Capability.GracefulRestart(0, gracefulRestartTime,
                    List.of(new Capability.GracefulRestart.Family(AfiSafi.IPV4_UNICAST, true))));
        }
        send(new OpenMessage(4, (int) asn, 0, 0x0A0000FEL, caps));
        if (!(read() instanceof OpenMessage)) throw new IOException("expected OPEN");
        send(new KeepaliveMessage());
        if (!(read() instanceof KeepaliveMessage)) throw new IOException("expected KEEPALIVE");
    }

    void send(BgpMessage m) throws IOException {
        ByteBuf b = BgpMessageCodec.encode(m, CTX, io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            b.release();
        }
    }

    /** Reads one message (blocking). */
    BgpMessage read() throws IOException {
        byte[] header = new byte[19];
        in.readFully(header);
        int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        byte[] all = new byte[length];
        System.arraycopy(header, 0, all, 0, 19);
        in.readFully(all, 19, length - 19);
        ByteBuf b = Unpooled.wrappedBuffer(all);
        try {
            DecodeResult r = BgpMessageCodec.decode(b, CTX);
            if (r instanceof DecodeResult.Decoded d) return d.message();
            throw new IOException("undecodable message: " + r);
        } finally {
            b.release();
        }
    }

    /** Reads UPDATEs until End-of-RIB for IPv4 unicast; returns the distinct prefixes announced and not withdrawn. */
    java.util.Set<dev.ixora.codec.Nlri> readUntilEndOfRib() throws IOException {
        java.util.Set<dev.ixora.codec.Nlri> table = new java.util.HashSet<>();
        while (true) {
            BgpMessage m = read();
            if (!(m instanceof UpdateMessage u)) continue;
            if (u.endOfRibFamily().isPresent()) return table;
            for (UpdateMessage.Withdrawn w : u.withdrawnAll()) table.remove(w.nlri());
            for (UpdateMessage.Announced a : u.announced()) table.add(a.nlri());
        }
    }

    /** Connects, retrying while the daemon still refuses the peer (its Idle state after a drop). */
    static RawClient connect(String address, long asn, InetSocketAddress daemon, int receiveBuffer,
                             Integer gracefulRestartTime) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                return new RawClient(address, asn, daemon, receiveBuffer, gracefulRestartTime);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(200);
            }
        }
    }

    /** Reads UPDATEs until {@code count} announced prefixes match {@code counted}. */
    java.util.Set<dev.ixora.codec.Nlri> readUntil(java.util.function.Predicate<dev.ixora.codec.Nlri> counted, int count)
            throws IOException {
        java.util.Set<dev.ixora.codec.Nlri> table = new java.util.HashSet<>();
        while (table.stream().filter(counted).count() < count) {
            BgpMessage m = read();
            if (!(m instanceof UpdateMessage u)) continue;
            for (UpdateMessage.Withdrawn w : u.withdrawnAll()) table.remove(w.nlri());
            for (UpdateMessage.Announced a : u.announced()) table.add(a.nlri());
        }
        return table;
    }

    /** Drops the TCP connection without a NOTIFICATION (RST: SO_LINGER 0). */
    void drop() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
