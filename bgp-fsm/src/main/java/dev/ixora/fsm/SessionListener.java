package dev.ixora.fsm;

/** Receives {@link SessionEvent}s on the peer's event loop; must not block. */
@FunctionalInterface
public interface SessionListener {
    void onEvent(SessionEvent event);
}
