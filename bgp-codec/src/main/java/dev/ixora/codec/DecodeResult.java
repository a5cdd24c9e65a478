package dev.ixora.codec;

import java.util.List;

/**
 * The outcome of decoding one framed message: either a message (possibly with RFC 7606 warnings such
 * as discarded attributes, or already turned into a withdrawal by treat-as-withdraw), or an error
 * whose action is {@link ErrorAction#SESSION_RESET} or {@link ErrorAction#AFI_SAFI_DISABLE}.
 */
public sealed interface DecodeResult {

    record Decoded(BgpMessage message, List<BgpError> warnings) implements DecodeResult {
        public Decoded {
            warnings = List.copyOf(warnings);
        }

        public Decoded(BgpMessage message) {
            this(message, List.of());
        }
    }

    record Failed(BgpError error) implements DecodeResult {}
}
