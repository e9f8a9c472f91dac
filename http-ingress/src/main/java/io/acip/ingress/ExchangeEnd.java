package io.acip.ingress;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of one exchange as a one-time signal: actions registered before it run when it fires, actions registered
 * after run at once, each exactly once, on the thread that fires or registers. It lets a stage hold something for
 * the exchange's lifetime (a concurrency permit) whatever ends it: the last write, a failure, the agent leaving.
 */
public final class ExchangeEnd {
    private List<Runnable> actions = new ArrayList<>(2); // null once fired

    /** Runs {@code action} when the exchange ends, or now if it already has. */
    public void add(Runnable action) {
        synchronized (this) {
            if (actions != null) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    /** Ends the exchange; later calls do nothing. */
    public void fire() {
        List<Runnable> run;
        synchronized (this) {
            if (actions == null) return;
            run = actions;
            actions = null;
        }
        for (Runnable r : run) r.run();
    }
}
