package dev.ixora.fsm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Drives a {@link SessionFsm} with a fake clock: applies timer actions and fires expiries on advance. */
final class FakeTimers {
    final SessionFsm fsm;
    final List<FsmAction> log = new ArrayList<>();
    private final Map<FsmTimer, Long> deadlines = new EnumMap<>(FsmTimer.class);
    long nowMillis;

    FakeTimers(PeerSettings settings) {
        this.fsm = new SessionFsm(settings, new IdleHoldBackoff(settings.idleHoldSeconds(),
                settings.idleHoldMaxSeconds(), () -> nowMillis));
    }

    FakeTimers(PeerSettings settings, IdleHoldBackoff backoff) {
        this.fsm = new SessionFsm(settings, backoff);
    }

    /** Feeds one event; returns the actions it produced (also appended to {@link #log}). */
    List<FsmAction> fire(FsmEvent event) {
        List<FsmAction> actions = fsm.handle(event);
        apply(actions);
        return actions;
    }

    void apply(List<FsmAction> actions) {
        log.addAll(actions);
        for (FsmAction a : actions) {
            if (a instanceof FsmAction.StartTimer s) deadlines.put(s.timer(), nowMillis + s.seconds() * 1000L);
            if (a instanceof FsmAction.StopTimer s) deadlines.remove(s.timer());
        }
    }

    /** Moves the clock forward, firing every timer that comes due, earliest first. */
    List<FsmAction> advance(int seconds) {
        long end = nowMillis + seconds * 1000L;
        List<FsmAction> produced = new ArrayList<>();
        while (true) {
            Map.Entry<FsmTimer, Long> next = deadlines.entrySet().stream()
                    .filter(e -> e.getValue() <= end)
                    .min(Map.Entry.comparingByValue()).orElse(null);
            if (next == null) break;
            nowMillis = next.getValue();
            deadlines.remove(next.getKey());
            produced.addAll(fire(new FsmEvent.TimerExpired(next.getKey())));
        }
        nowMillis = end;
        return produced;
    }

    boolean armed(FsmTimer t) {
        return deadlines.containsKey(t);
    }

    Long deadline(FsmTimer t) {
        return deadlines.get(t);
    }
}
