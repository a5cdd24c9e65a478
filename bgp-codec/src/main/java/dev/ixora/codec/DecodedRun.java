package dev.ixora.codec;

/**
 * UPDATEs that followed one another on the wire, decoded by {@link BgpFrameDecoder} from one copy
 * of the stream and passed down the pipeline as one message (see {@link
 * BgpFrameDecoder#decodeUpdates(AttributeCache, boolean)}): the per-message cost of the pipeline
 * is paid once for all of them. Holds one {@link DecodeResult} per message, in wire order; a
 * header error, if any, is the last. Nothing to release.
 */
public final class DecodedRun {
    private final DecodeResult[] results;

    DecodedRun(DecodeResult[] results) {
        if (results.length < 2) throw new IllegalArgumentException("a run has two results or more");
        this.results = results;
    }

    public int size() {
        return results.length;
    }

    public DecodeResult get(int i) {
        return results[i];
    }

    @Override
    public String toString() {
        return "DecodedRun[" + results.length + "]";
    }
}
