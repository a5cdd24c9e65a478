package dev.ixora.codec;

/** KEEPALIVE (RFC 4271 section 4.4): the header alone, exactly 19 bytes. */
public record KeepaliveMessage() implements BgpMessage {
    public static final KeepaliveMessage INSTANCE = new KeepaliveMessage();

    @Override
    public int type() {
        return KEEPALIVE;
    }
}
