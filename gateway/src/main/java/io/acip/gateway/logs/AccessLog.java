package io.acip.gateway.logs;

import io.acip.gateway.metrics.MeteredExchange;
import io.acip.ingress.RequestInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The edge's access log: one line per HTTP exchange and per CONNECT-UDP flow, on the logger {@code io.acip.access} at
 * INFO (route or silence it with {@code java.util.logging} settings). In the text format a line reads
 * {@code exchange anonymous GET /skills/demo/echo/x h2 200 3.2ms in=0 out=57 skill=demo/echo trajectory=edge,transit,far};
 * in JSON the same facts are members. Nothing is built when the logger would drop the line.
 */
public final class AccessLog implements MeteredExchange.Ended {
    public static final Logger LOG = Logger.getLogger("io.acip.access");

    @Override
    public void ended(MeteredExchange m) {
        if (!LOG.isLoggable(Level.INFO)) return;
        RequestInfo r = m.request();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", "exchange");
        f.put("identity", m.identity());
        f.put("method", r.method());
        f.put("path", r.path());
        f.put("protocol", r.protocol());
        f.put("skill", m.skill());
        f.put("status", m.aborted() ? "aborted" : Integer.toString(m.status()));
        f.put("duration_ms", Math.round(m.durationNanos() / 10_000.0) / 100.0);
        f.put("bytes_in", m.bytesIn());
        f.put("bytes_out", m.bytesOut());
        f.put("trajectory", m.trajectory());
        log(f, "exchange " + m.identity() + " " + r.method() + " " + r.path() + " " + r.protocol() + " " + f.get("status")
                + " " + f.get("duration_ms") + "ms in=" + m.bytesIn() + " out=" + m.bytesOut() + " skill=" + m.skill()
                + " trajectory=" + String.join(",", m.trajectory()));
    }

    /** A CONNECT-UDP flow that ended: who, to what, its answer, how long and how many bytes each way. */
    public static void flow(String identity, String target, String protocol, int status, long nanos, long bytesUp,
                            long bytesDown) {
        if (!LOG.isLoggable(Level.INFO)) return;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", "flow");
        f.put("identity", identity);
        f.put("target", target);
        f.put("protocol", protocol);
        f.put("status", Integer.toString(status));
        f.put("duration_ms", Math.round(nanos / 10_000.0) / 100.0);
        f.put("bytes_in", bytesUp);
        f.put("bytes_out", bytesDown);
        log(f, "flow " + identity + " CONNECT-UDP " + target + " " + protocol + " " + status + " " + f.get("duration_ms")
                + "ms in=" + bytesUp + " out=" + bytesDown);
    }

    private static void log(Map<String, Object> fields, String text) {
        Structured record = new Structured(text, fields);
        record.setLoggerName(LOG.getName());
        // Named here, so no formatter walks the stack to find the caller, once per line.
        record.setSourceClassName(AccessLog.class.getName());
        record.setSourceMethodName(fields.get("kind").toString());
        LOG.log(record);
    }

    /**
     * A record that carries its facts as fields ({@link JsonLogFormatter} writes them as members); without
     * parameters, so no formatter reads its text as a MessageFormat pattern (paths may hold braces).
     */
    static final class Structured extends LogRecord {
        final Map<String, Object> fields;

        Structured(String text, Map<String, Object> fields) {
            super(Level.INFO, text);
            this.fields = fields;
        }
    }
}
