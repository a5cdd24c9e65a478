package dev.ixora.codec;

/**
 * Internal control flow of the body decoders: carries the {@link BgpError} to the one place in
 * {@link BgpMessageCodec#decode} that turns it into a {@link DecodeResult.Failed}. Never escapes the
 * codec; no stack trace (it is not a bug, it is bad input).
 */
final class MalformedMessage extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient BgpError error;

    MalformedMessage(BgpError error) {
        super(error.reason(), null, false, false);
        this.error = error;
    }

    static MalformedMessage open(int subcode, byte[] data, String reason) {
        return new MalformedMessage(BgpError.reset(BgpError.OPEN_MESSAGE_ERROR, subcode, data, reason));
    }
}
