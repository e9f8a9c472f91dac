package io.acip.ingress;

/**
 * One HTTP request and its response, whichever HTTP version carried it (HTTP/1.1, HTTP/2, HTTP/3, or a request
 * inside an intercepted CONNECT tunnel). Stages above the listeners see only this type (STYLE.md: one exchange type,
 * protocol differences hidden below it).
 */
public interface Exchange {
    RequestInfo request();

    /** The request content, read on demand. */
    BodySource body();

    /** Where the response goes. */
    ResponseSink response();

    /**
     * Runs {@code action} once when the exchange has ended, however it ended (response complete, failed, agent gone),
     * or at once if it already has.
     */
    void onEnd(Runnable action);

    /** This exchange going on with another request head (a stage rewrote its path or fields); body and answer stay. */
    default Exchange withRequest(RequestInfo changed) {
        return new Rewritten(this, changed);
    }

    /** {@link #withRequest}: the original's body, sink and end, under a changed head. */
    record Rewritten(Exchange original, RequestInfo request) implements Exchange {
        @Override
        public BodySource body() {
            return original.body();
        }

        @Override
        public ResponseSink response() {
            return original.response();
        }

        @Override
        public void onEnd(Runnable action) {
            original.onEnd(action);
        }
    }
}
