/**
 * BGP sessions: the RFC 4271 section 8 state machine and its Netty transport.
 *
 * <p>{@link dev.ixora.fsm.SessionFsm} is pure: {@link dev.ixora.fsm.FsmEvent}s in,
 * {@link dev.ixora.fsm.FsmAction}s out, timers as actions, so it is tested with a fake clock.
 * {@link dev.ixora.fsm.OpenNegotiation} checks a received OPEN and yields the immutable
 * {@link dev.ixora.fsm.NegotiatedSession} (and from it the codec's {@code SessionCodecContext}).
 *
 * <p>{@link dev.ixora.fsm.BgpSpeaker} runs sessions over Netty: one {@link dev.ixora.fsm.BgpSession}
 * handle per configured {@link dev.ixora.fsm.PeerSettings}, each pinned to one event loop, reporting
 * {@link dev.ixora.fsm.SessionEvent}s to a {@link dev.ixora.fsm.SessionListener} in order. This
 * package never sees a RIB.
 */
package dev.ixora.fsm;
