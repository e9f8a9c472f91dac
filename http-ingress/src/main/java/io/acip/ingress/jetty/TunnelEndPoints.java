package io.acip.ingress.jetty;

import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.Callback;

/** Ends a tunnel's endpoint on failure so that the agent sees it fail, whatever carries the tunnel. */
final class TunnelEndPoints {
    private TunnelEndPoints() {
    }

    /**
     * Aborts: an HTTP/2 CONNECT stream is reset (RFC 9113 §8.5: an abnormal end is a RST_STREAM, and Jetty's
     * stream endpoint only closes the stream, leaving it in the session until the session ends); any other
     * endpoint is closed.
     */
    static void abort(EndPoint endPoint, Throwable cause) {
        abort(endPoint, cause, ErrorCode.CANCEL_STREAM_ERROR);
    }

    /** As {@link #abort(EndPoint, Throwable)}, resetting an HTTP/2 stream with {@code error}. */
    static void abort(EndPoint endPoint, Throwable cause, ErrorCode error) {
        Throwable why = cause != null ? cause : new EofException("tunnel aborted");
        if (endPoint.getTransport() instanceof Stream stream && !stream.isReset()) {
            stream.reset(new ResetFrame(stream.getId(), error.code), Callback.NOOP);
        }
        endPoint.close(why);
    }
}
