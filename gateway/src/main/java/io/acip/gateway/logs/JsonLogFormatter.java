package io.acip.gateway.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code logging.format: json}: one JSON object per line, for log shippers: {@code time} (ISO-8601 UTC),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, {@code thrown} (the stack trace) when there is one, and
 * the fields of a structured record ({@link AccessLog}'s) as members of their own.
 */
public final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String format(LogRecord r) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(r.getMillis()).toString());
            g.writeStringField("level", r.getLevel().getName());
            g.writeStringField("logger", r.getLoggerName());
            g.writeStringField("thread", Thread.currentThread().getName());
            g.writeStringField("message", formatMessage(r));
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                g.writeStringField("thrown", trace.toString());
            }
            if (r instanceof AccessLog.Structured s) {
                for (Map.Entry<String, Object> e : s.fields.entrySet()) {
                    g.writeFieldName(e.getKey());
                    JSON.writeValue(g, e.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"a log record could not be written as JSON: " + e + "\"}\n";
        }
        return out.append('\n').toString();
    }

    /** Makes every handler of the root logger write JSON (the process's logs, whoever writes them). */
    public static void install() {
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setFormatter(new JsonLogFormatter());
        }
    }
}
