package io.acip.gateway.metrics;

/** The {@code status} label of exchange timers: the response's status class, or how it ended without one. */
public final class StatusClass {
    /** Label values by index: no response at all, 1xx to 5xx, a response cut after its head was sent. */
    static final String[] TAGS = {"none", "1xx", "2xx", "3xx", "4xx", "5xx", "aborted"};
    static final int NONE = 0;
    static final int ABORTED = 6;

    private StatusClass() {
    }

    static int of(int status, boolean aborted) {
        if (aborted) return ABORTED;
        return status >= 100 && status < 600 ? status / 100 : NONE;
    }
}
