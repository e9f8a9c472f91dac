package io.acip.bench;

import io.acip.capsule.CodecException;
import io.acip.capsule.bhttp.BinaryHttpDecoder;
import io.acip.capsule.bhttp.BinaryHttpLimits;
import io.acip.capsule.bhttp.BinaryHttpListener;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.IndeterminateLengthEncoder;
import io.acip.capsule.bhttp.KnownLengthEncoder;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Binary HTTP (RFC 9292) decoding as the gateway's ACIP bridge does it per message: a fresh decoder, the whole
 * message fed as one buffer, then {@code finish()}. Content is handed out as views, so the cost is the head and the
 * framing walk. Reported in ns per message; {@link BenchReport} turns that into MB/s with {@link #requestMessage()}
 * and {@link #responseMessage()} sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BinaryHttpBenchmark {
    static final int REQUEST_BODY = 64 * 1024;
    static final int REQUEST_CHUNK = 16 * 1024;
    static final int RESPONSE_BODY = 1024;

    private ByteBuffer request;
    private ByteBuffer response;
    private BinaryHttpListener listener;

    @Setup
    public void setup(Blackhole bh) throws CodecException {
        request = requestMessage();
        response = responseMessage();
        listener = new BinaryHttpListener() {
            @Override
            public void onRequestHead(RequestHead head, Fields headers) {
                bh.consume(head);
                bh.consume(headers);
            }

            @Override
            public void onResponseHead(ResponseHead head) {
                bh.consume(head);
            }

            @Override
            public void onContent(ByteBuffer content) {
                bh.consume(content.remaining());
            }

            @Override
            public void onComplete() {
                bh.consume(true);
            }
        };
        requireWhole(BinaryHttpDecoder::forRequest, request, REQUEST_BODY);
        requireWhole(BinaryHttpDecoder::forResponse, response, RESPONSE_BODY);
    }

    /** (i) Indeterminate-length request, 20 header lines, 64 KiB of content in 16 KiB chunks. */
    @Benchmark
    public BinaryHttpDecoder indeterminateRequest64k() throws CodecException {
        BinaryHttpDecoder d = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, listener);
        d.decode(request.duplicate());
        d.finish();
        return d;
    }

    /** (ii) Known-length response, 1 KiB of content. */
    @Benchmark
    public BinaryHttpDecoder knownLengthResponse1k() throws CodecException {
        BinaryHttpDecoder d = BinaryHttpDecoder.forResponse(BinaryHttpLimits.DEFAULT, listener);
        d.decode(response.duplicate());
        d.finish();
        return d;
    }

    /** The request of {@link #indeterminateRequest64k}, encoded once. */
    public static ByteBuffer requestMessage() {
        RequestHead head = new RequestHead("POST", "https", "agents.example.com", "/v1/skills/demo/echo?trace=1");
        Fields headers = Fields.of(
                "user-agent", "acip-agent/0.1 (linux; x86_64)",
                "accept", "application/json, text/event-stream",
                "accept-encoding", "gzip, br",
                "accept-language", "en-GB,en;q=0.9",
                "content-type", "application/octet-stream",
                "authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZ2VudDoxMjMifQ.c2lnbmF0dXJl",
                "cache-control", "no-cache",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate", "acip=t61rcWkgMzE",
                "x-request-id", "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b",
                "x-acip-tenant", "1",
                "x-acip-skill", "demo/echo",
                "x-forwarded-for", "192.0.2.10",
                "x-forwarded-proto", "https",
                "forwarded", "for=192.0.2.10;proto=https;host=agents.example.com",
                "origin", "https://console.example.com",
                "referer", "https://console.example.com/agents/123",
                "cookie", "session=0123456789abcdef; theme=dark",
                "priority", "u=3, i",
                "te", "trailers");
        IndeterminateLengthEncoder enc = IndeterminateLengthEncoder.forRequest();
        ByteBuffer chunk = ByteBuffer.allocate(REQUEST_CHUNK);
        int size = enc.headSize(head, headers)
                + (REQUEST_BODY / REQUEST_CHUNK) * IndeterminateLengthEncoder.chunkSize(REQUEST_CHUNK)
                + IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0);
        ByteBuffer out = ByteBuffer.allocate(size);
        enc.writeHead(out, head, headers);
        for (int sent = 0; sent < REQUEST_BODY; sent += REQUEST_CHUNK) enc.writeChunk(out, chunk.duplicate());
        enc.writeEnd(out, Fields.EMPTY, 0);
        return out.flip().asReadOnlyBuffer();
    }

    /** The response of {@link #knownLengthResponse1k}, encoded once. */
    public static ByteBuffer responseMessage() {
        ResponseHead head = new ResponseHead(200, Fields.of(
                "content-type", "application/json",
                "cache-control", "no-store",
                "date", "Tue, 02 Jun 2026 10:00:00 GMT",
                "server", "acip-gateway"));
        ByteBuffer content = ByteBuffer.allocate(RESPONSE_BODY);
        ByteBuffer out = ByteBuffer.allocate(KnownLengthEncoder.responseSize(List.of(), head, RESPONSE_BODY,
                Fields.EMPTY, 0));
        KnownLengthEncoder.writeResponse(out, List.of(), head, content, Fields.EMPTY, 0);
        return out.flip().asReadOnlyBuffer();
    }

    private interface DecoderFactory {
        BinaryHttpDecoder create(BinaryHttpLimits limits, BinaryHttpListener listener);
    }

    /** Fails the run, rather than measure a decoder that stops early, unless the message decodes whole. */
    private static void requireWhole(DecoderFactory factory, ByteBuffer message, int bodyLength) throws CodecException {
        long[] content = new long[1];
        boolean[] complete = new boolean[1];
        BinaryHttpDecoder d = factory.create(BinaryHttpLimits.DEFAULT, new BinaryHttpListener() {
            @Override
            public void onContent(ByteBuffer b) {
                content[0] += b.remaining();
            }

            @Override
            public void onComplete() {
                complete[0] = true;
            }
        });
        d.decode(message.duplicate());
        d.finish();
        if (!complete[0] || content[0] != bodyLength) {
            throw new IllegalStateException("message decoded to " + content[0] + " content bytes, complete="
                    + complete[0]);
        }
    }
}
