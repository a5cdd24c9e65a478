package dev.ixora.fsm;

/** Receives {@link SessionEvent}s on the peer's event loop; must not block. */
@FunctionalInterface
public interface SessionListener {
    void onEvent(SessionEvent event);

    /**
     * The end of one read from the socket of {@code peer}'s connection, on its event loop: the
     * events given to {@link #onEvent} since the previous call came from the bytes of that read (a
     * listener may hold back work until here, e.g. to hand the UPDATEs of one read on together).
     * Every read that delivered an event ends with a call; some calls follow reads that delivered
     * none. Nothing by default.
     */
    default void readComplete(String peer) {}
}
