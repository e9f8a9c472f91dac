package io.acip.gateway.telemetry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny OTLP/HTTP trace collector for tests: takes {@code POST /v1/traces} (protobuf ExportTraceServiceRequest) and
 * keeps each span's trace ID, span and parent IDs, name, and its resource's {@code acip.node}. It reads the few
 * protobuf fields it needs by hand (opentelemetry-proto's message definitions, field numbers in comments).
 */
final class OtlpCollector implements AutoCloseable {
    record Span(String node, String traceId, String spanId, String parentId, String name) {
    }

    final List<Span> spans = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    OtlpCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/traces", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                read(body);
                ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                ex.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                ex.sendResponseHeaders(400, -1);
            }
            ex.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    private void read(byte[] request) {
        for (byte[] resourceSpans : fields(request, 1)) { // ExportTraceServiceRequest.resource_spans = 1
            String node = "";
            for (byte[] resource : fields(resourceSpans, 1)) { // ResourceSpans.resource = 1
                for (byte[] kv : fields(resource, 1)) { // Resource.attributes = 1 (KeyValue)
                    String key = string(kv, 1);
                    List<byte[]> value = fields(kv, 2); // KeyValue.value = 2 (AnyValue.string_value = 1)
                    if (key.equals("acip.node") && !value.isEmpty()) node = string(value.get(0), 1);
                }
            }
            for (byte[] scopeSpans : fields(resourceSpans, 2)) { // ResourceSpans.scope_spans = 2
                for (byte[] span : fields(scopeSpans, 2)) { // ScopeSpans.spans = 2
                    spans.add(new Span(node, hex(span, 1), hex(span, 2), hex(span, 4), string(span, 5)));
                }
            }
        }
    }

    private static String hex(byte[] message, int field) {
        List<byte[]> f = fields(message, field);
        return f.isEmpty() ? "" : HexFormat.of().formatHex(f.get(0));
    }

    private static String string(byte[] message, int field) {
        List<byte[]> f = fields(message, field);
        return f.isEmpty() ? "" : new String(f.get(0), StandardCharsets.UTF_8);
    }

    /** The length-delimited values of {@code field} in {@code message}, skipping every other field. */
    private static List<byte[]> fields(byte[] message, int field) {
        List<byte[]> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long key = varint(message, at);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> varint(message, at);
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    int len = (int) varint(message, at);
                    if ((key >>> 3) == field) out.add(java.util.Arrays.copyOfRange(message, at[0], at[0] + len));
                    at[0] += len;
                }
                default -> throw new IllegalArgumentException("wire type " + wire);
            }
        }
        return out;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
