package dev.ixora.fsm;

import static org.junit.jupiter.api.Assertions.*;

import dev.ixora.codec.BgpMessage;
import dev.ixora.codec.BgpMessageCodec;
import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.SessionCodecContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;

/** A scripted BGP peer on a plain java.net.Socket: writes raw bytes, reads whole messages. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final DataInputStream in;

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = new DataInputStream(socket.getInputStream());
    }

    void send(BgpMessage m) throws IOException {
        ByteBuf buf = BgpMessageCodec.encode(m, SessionCodecContext.FOUR_OCTET, ByteBufAllocator.DEFAULT);
        try {
            sendRaw(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next whole message; fails the test on EOF or timeout. */
    BgpMessage read() throws IOException {
        byte[] header = new byte[19];
        in.readFully(header);
        int len = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        byte[] whole = new byte[len];
        System.arraycopy(header, 0, whole, 0, 19);
        in.readFully(whole, 19, len - 19);
        ByteBuf buf = Unpooled.wrappedBuffer(whole);
        try {
            DecodeResult r = BgpMessageCodec.decode(buf, SessionCodecContext.FOUR_OCTET);
            assertInstanceOf(DecodeResult.Decoded.class, r, r.toString());
            return ((DecodeResult.Decoded) r).message();
        } finally {
            buf.release();
        }
    }

    <T extends BgpMessage> T read(Class<T> kind) throws IOException {
        BgpMessage m = read();
        assertInstanceOf(kind, m, "got " + m);
        return kind.cast(m);
    }

    /** True when the speaker closed the connection (EOF) before sending anything else. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
