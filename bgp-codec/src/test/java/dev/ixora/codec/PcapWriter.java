package dev.ixora.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic libpcap file of one TCP stream to port 179: Ethernet II, IPv4 (header checksum
 * filled in), TCP without options (checksum left zero: readers are told not to check it). Each call
 * to {@link #segment} is one packet; sequence numbers advance by the payload length.
 */
final class PcapWriter implements AutoCloseable {
    private static final int LINKTYPE_ETHERNET = 1;
    private final OutputStream out;
    private long seq = 1;
    private int ipId = 1;
    private int seconds = 1_700_000_000;

    PcapWriter(Path file) throws IOException {
        out = Files.newOutputStream(file);
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_ETHERNET);
        out.write(h.array());
    }

    /** One TCP segment 198.18.0.1:40179 -> 198.18.0.2:179 carrying {@code payload}. */
    void segment(byte[] payload) throws IOException {
        int ipLen = 20 + 20 + payload.length;
        if (ipLen > 65535) throw new IllegalArgumentException("segment too large: " + payload.length);
        ByteBuffer p = ByteBuffer.allocate(14 + ipLen);
        // Ethernet II: locally administered MACs, EtherType IPv4.
        p.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ip = p.position();
        p.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) ipId++).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0)
                .put(new byte[] {(byte) 198, 18, 0, 1}).put(new byte[] {(byte) 198, 18, 0, 2});
        p.putShort(ip + 10, (short) ipChecksum(p.array(), ip, 20));
        // TCP: data offset 5 words, flags PSH|ACK.
        p.putShort((short) 40179).putShort((short) 179).putInt((int) seq).putInt(1)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        p.put(payload);
        seq += payload.length;

        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(seconds++).putInt(0).putInt(p.capacity()).putInt(p.capacity());
        out.write(rec.array());
        out.write(p.array());
    }

    private static int ipChecksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
