package dev.ixora.rib;

import dev.ixora.codec.DecodeResult;
import dev.ixora.codec.SessionCodecContext;
import dev.ixora.codec.UpdateCodec;
import dev.ixora.codec.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiConsumer;

/**
 * Reads an MRT TABLE_DUMP (v1) file, RFC 6396 section 4.2, IPv4 entries: one (prefix, peer, 2-octet
 * AS attributes) per record. Each entry is turned into an UPDATE body and decoded by the real codec,
 * so the RIB sees what a session would hand it. Test utility only.
 */
final class MrtTableDumpV1 {
    static final int TABLE_DUMP = 12;
    static final int AFI_IPV4 = 1;

    /** One entry: the peer (address as int, its AS) and the decoded UPDATE announcing the prefix. */
    record Entry(int peerAddress, int peerAs, UpdateMessage update) {}

    private MrtTableDumpV1() {}

    /** Calls {@code sink} per IPv4 entry; returns the number of entries the codec refused. */
    static int read(InputStream in, BiConsumer<Entry, Integer> sink) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int refused = 0;
        int n = 0;
        while (true) {
            int type, subtype, length;
            try {
                d.readInt(); // timestamp
            } catch (EOFException e) {
                return refused;
            }
            type = d.readUnsignedShort();
            subtype = d.readUnsignedShort();
            length = d.readInt();
            byte[] body = new byte[length];
            d.readFully(body);
            if (type != TABLE_DUMP || subtype != AFI_IPV4) continue;
            ByteBuf b = Unpooled.wrappedBuffer(body);
            b.skipBytes(4); // view, sequence
            int prefix = b.readInt();
            int prefixLength = b.readUnsignedByte();
            b.skipBytes(1 + 4); // status, originated time
            int peerAddress = b.readInt();
            int peerAs = b.readUnsignedShort();
            int attrLength = b.readUnsignedShort();
            ByteBuf update = Unpooled.buffer(4 + attrLength + 5);
            update.writeShort(0).writeShort(attrLength).writeBytes(b, attrLength);
            update.writeByte(prefixLength);
            for (int i = 0; i < (prefixLength + 7) / 8; i++) update.writeByte(prefix >>> (24 - 8 * i));
            try {
                DecodeResult r = UpdateCodec.decodeBody(update, SessionCodecContext.INITIAL);
                if (r instanceof DecodeResult.Decoded dec && dec.message() instanceof UpdateMessage u && !u.nlri().isEmpty()) {
                    sink.accept(new Entry(peerAddress, peerAs, u), n++);
                } else {
                    refused++;
                }
            } finally {
                update.release();
            }
        }
    }
}
