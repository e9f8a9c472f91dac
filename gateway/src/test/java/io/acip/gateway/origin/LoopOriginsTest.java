package io.acip.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.http.HeaderLimits;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop client's own rules, against an origin scripted byte by byte on a plain socket: exchanges stay on their
 * loop, connections are reused per loop and limited per origin across loops, idle ones close, and messages framed
 * in every way HTTP/1.1 allows (HEAD, read until close, interim responses, answers before the request's end) end
 * where they should and leave the connection reusable only when it is.
 */
class LoopOriginsTest {
    private static final int LOOPS = 2;

    private MultiThreadIoEventLoopGroup group;
    private EventLoop[] loops;
    private ServerSocket origin;
    private OriginForwarder forwarder;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(LOOPS, new DefaultThreadFactory("test-loop"), NioIoHandler.newFactory());
        loops = new EventLoop[LOOPS];
        for (int i = 0; i < LOOPS; i++) loops[i] = group.next();
        origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        origin.setSoTimeout(5_000);
        forwarder = forwarder(8, 8, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        forwarder.close();
        origin.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private OriginForwarder forwarder(int connections, int queued, Duration idle) throws Exception {
        if (forwarder != null) forwarder.close();
        return OriginForwarder.start(new OriginForwarder.Settings("gw", connections, queued, Duration.ofSeconds(5),
                idle, HeaderLimits.DEFAULT), null, group);
    }

    private OriginConfig config() {
        return OriginConfig.of(URI.create("http://127.0.0.1:" + origin.getLocalPort()));
    }

    /** Forwards from inside {@code loop}, as a session's handler does. */
    private Sink send(EventLoop loop, String method, String path, Fields headers, BodySource body) {
        Sink sink = new Sink();
        loop.execute(() -> forwarder.forward(TestExchange.of(method, path, headers, body, sink), config()));
        return sink;
    }

    private Sink get(EventLoop loop, String path) {
        return send(loop, "GET", path, Fields.EMPTY, MemoryBody.empty());
    }

    @Test
    void anExchangeStaysOnItsLoopAndItsConnectionServesTheNext() throws Exception {
        Sink first = get(loops[1], "/one");
        try (Peer peer = accept()) {
            assertTrue(peer.readHead().startsWith("GET /one HTTP/1.1\r\n"));
            answer(peer, first, "one");
            Sink second = get(loops[1], "/two");
            assertTrue(peer.readHead().startsWith("GET /two HTTP/1.1\r\n"), "the same connection");
            answer(peer, second, "two");
            assertEquals(List.of(loops[1]), first.on.stream().distinct().toList());
            assertEquals(List.of(loops[1]), second.on.stream().distinct().toList());
            assertEquals(1L, forwarder.counters("o.").get("o.connections.opened"));
            assertEquals(1L, forwarder.counters("o.").get("o.connections.reused"));
        }
    }

    @Test
    void eachLoopHasItsOwnConnections() throws Exception {
        Sink a = get(loops[0], "/a");
        try (Peer pa = accept()) {
            pa.readHead();
            answer(pa, a, "a");
            Sink b = get(loops[1], "/b");
            try (Peer pb = accept()) { // loop 1 does not borrow loop 0's idle connection
                assertTrue(pb.readHead().startsWith("GET /b "));
                answer(pb, b, "b");
            }
        }
    }

    @Test
    void overTheLimitsExchangesWaitThenAre503() throws Exception {
        forwarder = forwarder(1, 1, Duration.ofSeconds(60));
        Sink first = get(loops[0], "/1");
        try (Peer peer = accept()) {
            peer.readHead();
            Sink waits = get(loops[0], "/2");
            Sink refused = get(loops[0], "/3");
            HttpFailure f = refused.failure.get(5, TimeUnit.SECONDS);
            assertEquals(503, f.status());
            assertEquals(ProxyErrorType.CONNECTION_LIMIT_REACHED, f.error());
            answer(peer, first, "1");
            assertTrue(peer.readHead().startsWith("GET /2 "), "the waiting exchange takes the freed connection");
            answer(peer, waits, "2");
            assertEquals(1L, forwarder.counters("").get("queue.waited"));
            assertEquals(1L, forwarder.counters("").get("queue.refused"));
            assertEquals(1L, forwarder.counters("").get("connections.opened"));
        }
    }

    @Test
    void aSlotFreedOnOneLoopGoesToAnExchangeWaitingOnAnother() throws Exception {
        forwarder = forwarder(1, 4, Duration.ofSeconds(60));
        Sink first = get(loops[0], "/1");
        try (Peer p0 = accept()) {
            p0.readHead();
            Sink other = get(loops[1], "/2");
            answer(p0, first, "1");
            p0.expectClosed(); // nobody waits on loop 0: its connection gives its slot up
            try (Peer p1 = accept()) {
                assertTrue(p1.readHead().startsWith("GET /2 "));
                answer(p1, other, "2");
                assertEquals(List.of(loops[1]), other.on.stream().distinct().toList());
            }
        }
    }

    @Test
    void atTheLimitALoopKeepsItsConnectionWhileTheOtherWaitsOnItsOwn() throws Exception {
        forwarder = forwarder(2, 4, Duration.ofSeconds(60));
        Sink a0 = get(loops[0], "/a0");
        try (Peer pa = accept()) {
            pa.readHead();
            Sink b0 = get(loops[1], "/b0");
            try (Peer pb = accept()) {
                pb.readHead();
                Sink b1 = get(loops[1], "/b1");
                loops[1].submit(() -> { }).sync(); // b1 waits: both slots are taken
                answer(pa, a0, "a0");
                // Loop 1 holds a connection of its own: loop 0's is not closed to be opened again over there.
                Sink a1 = get(loops[0], "/a1");
                assertTrue(pa.readHead().startsWith("GET /a1 "), "loop 0 kept its connection");
                answer(pa, a1, "a1");
                answer(pb, b0, "b0");
                assertTrue(pb.readHead().startsWith("GET /b1 "), "the waiting exchange takes its loop's connection");
                answer(pb, b1, "b1");
                assertEquals(2L, forwarder.counters("").get("connections.opened"));
            }
        }
    }

    @Test
    void anIdleConnectionGivesItsSlotToALoopThatHasNone() throws Exception {
        forwarder = forwarder(1, 4, Duration.ofSeconds(60));
        Sink first = get(loops[0], "/1");
        try (Peer p0 = accept()) {
            p0.readHead();
            answer(p0, first, "1");
            Sink other = get(loops[1], "/2");
            p0.expectClosed();
            try (Peer p1 = accept()) {
                assertTrue(p1.readHead().startsWith("GET /2 "));
                answer(p1, other, "2");
            }
        }
    }

    @Test
    void aConnectionIdleASecondGivesItsSlotToALoopThatWaits() throws Exception {
        forwarder = forwarder(2, 4, Duration.ofSeconds(30)); // a connection yields after min(1 s, 30 s / 4) idle
        Sink a = get(loops[0], "/a");
        Sink b = get(loops[0], "/b");
        try (Peer pa = accept(); Peer pb = accept()) {
            for (Peer p : List.of(pa, pb)) {
                p.readHead();
                p.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            assertEquals("ok", a.text());
            assertEquals("ok", b.text());
            Sink c = get(loops[1], "/c"); // loop 1 has no connection: loop 0 gives one up at once
            try (Peer pc = accept()) {
                assertTrue(pc.readHead().startsWith("GET /c "));
                Thread.sleep(1_200); // not synchronisation: the rule is about how long a connection sat idle
                Sink d = get(loops[1], "/d"); // loop 1 holds one, busy; loop 0's other one is idle since > 1 s
                try (Peer pd = accept()) {
                    assertTrue(pd.readHead().startsWith("GET /d "));
                    answer(pd, d, "d");
                }
                answer(pc, c, "c");
            }
            assertEquals(4L, forwarder.counters("").get("connections.opened"));
        }
    }

    @Test
    void idleConnectionsCloseAfterTheirTimeout() throws Exception {
        forwarder = forwarder(8, 8, Duration.ofMillis(200));
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            answer(peer, sink, "");
            peer.expectClosed();
        }
    }

    @Test
    void whatAnOriginSendsOnAnIdleConnectionClosesIt() throws Exception {
        Sink first = get(loops[0], "/1");
        try (Peer p0 = accept()) {
            p0.readHead();
            answer(p0, first, "1");
            p0.write("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n");
            p0.expectClosed();
            Sink second = get(loops[0], "/2");
            try (Peer p1 = accept()) {
                p1.readHead();
                p1.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");
                assertEquals("2", second.text(), "never the stray 408");
            }
        }
    }

    @Test
    void aHeadResponseHasNoContentWhateverItsLengthSays() throws Exception {
        Sink head = send(loops[0], "HEAD", "/", Fields.EMPTY, MemoryBody.empty());
        try (Peer peer = accept()) {
            assertTrue(peer.readHead().startsWith("HEAD / "));
            peer.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            assertEquals("", head.text());
            assertEquals("1000", head.head.get().fields().first("content-length").orElseThrow());
            Sink next = get(loops[0], "/next");
            assertTrue(peer.readHead().startsWith("GET /next "), "the connection stays usable");
            answer(peer, next, "ok");
        }
    }

    @Test
    void aResponseReadUntilCloseEndsWithTheConnection() throws Exception {
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 200 OK\r\n\r\nall of it");
            peer.close();
            assertEquals("all of it", sink.text());
        }
        Sink next = get(loops[0], "/next");
        try (Peer peer = accept()) {
            peer.readHead();
            answer(peer, next, "");
        }
    }

    @Test
    void aResponseCutShortIsAbortedAfterItsHead() throws Exception {
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
            peer.close();
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
            assertTrue(sink.committedWhenFailed, "the agent sees an incomplete response, not an error page");
            assertEquals(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, f.error());
        }
    }

    @Test
    void anExchangeThatFailsWhileTheAgentTakesAPieceEndsOnceAndWritesNothingMore() throws Exception {
        Sink sink = new Sink();
        sink.holdContent = true;
        OriginConfig quick = config().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300));
        loops[0].execute(() -> forwarder.forward(TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(), sink),
                quick));
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
            WriteCallback pending = sink.held.get(5, TimeUnit.SECONDS); // the agent has not taken the first piece
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS); // nothing moved for 300 ms: the idle timer
            assertEquals(ProxyErrorType.CONNECTION_READ_TIMEOUT, f.error());
            assertTrue(sink.committedWhenFailed);
            peer.expectClosed();
            loops[0].submit(() -> pending.done(null)).get(5, TimeUnit.SECONDS); // the write completes after the end
            loops[0].submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertTrue(!sink.calledAfterFail, "nothing is written after the failure");
        }
    }

    @Test
    void earlyHintsPassAndOtherInterimResponsesDoNot() throws Exception {
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
            assertEquals("done", sink.text());
            assertEquals(1, sink.hints.size());
            assertEquals(103, sink.hints.get(0).status());
        }
    }

    @Test
    void switchingProtocolsUnaskedIsAProtocolError() throws Exception {
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
            assertEquals(502, f.status());
            assertEquals(ProxyErrorType.HTTP_PROTOCOL_ERROR, f.error());
            peer.expectClosed();
        }
    }

    @Test
    void anAnswerBeforeTheRequestsEndStopsTheUploadAndTheConnection() throws Exception {
        Stalled body = new Stalled("first part");
        Sink sink = send(loops[0], "POST", "/upload",
                new Fields(List.of(new io.acip.capsule.bhttp.Field("transfer-encoding", "chunked"))), body);
        try (Peer peer = accept()) {
            String head = peer.readHead();
            assertTrue(head.contains("transfer-encoding: chunked"), head);
            peer.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n");
            assertEquals(413, sink.head.get(5, TimeUnit.SECONDS).status());
            assertEquals("", sink.text());
            assertTrue(body.aborted.get(5, TimeUnit.SECONDS), "the agent's remaining content is not wanted");
            peer.expectClosed();
        }
    }

    @Test
    void aTargetThatWouldSplitTheRequestLineNeverLeaves() throws Exception {
        Sink sink = get(loops[0], "/a b");
        HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(400, f.status());
        origin.setSoTimeout(300);
        try {
            origin.accept().close();
            throw new AssertionError("the origin was contacted");
        } catch (SocketTimeoutException expected) {
            // nothing connected
        }
    }

    @Test
    void bytesBeyondAResponseNeverBecomeTheNextExchangesAnswer() throws Exception {
        forwarder = forwarder(1, 4, Duration.ofSeconds(60));
        Sink first = get(loops[0], "/1");
        try (Peer p0 = accept()) {
            p0.readHead();
            Sink waits = get(loops[0], "/2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (forwarder.counters("").get("queue.waited") < 1) { // /2 waits for the only connection
                assertTrue(System.nanoTime() < deadline, "/2 never waited");
                Thread.onSpinWait();
            }
            // One write: /1's answer, then bytes nobody asked for (a wrong Content-Length, content after HEAD).
            p0.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!");
            assertEquals("1", first.text());
            p0.expectClosed();
            try (Peer p1 = accept()) {
                assertTrue(p1.readHead().startsWith("GET /2 "), "/2 on a connection of its own");
                answer(p1, waits, "2");
            }
        }
    }

    @Test
    void contentLongerThanItsContentLengthIsRefusedNotSentAsAnotherRequest() throws Exception {
        Fields declared = new Fields(List.of(new io.acip.capsule.bhttp.Field("content-length", "5")));
        Sink sink = send(loops[0], "POST", "/upload", declared,
                MemoryBody.of("AAAAA", "GET /smuggled HTTP/1.1\r\nhost: internal\r\n\r\n"));
        try (Peer peer = accept()) {
            assertTrue(peer.readHead().contains("content-length: 5"));
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
            assertEquals(400, f.status());
            assertEquals("AAAAA", peer.rest(), "the origin gets what the length says, then the connection ends");
        }
    }

    @Test
    void contentShorterThanItsContentLengthIsRefused() throws Exception {
        Fields declared = new Fields(List.of(new io.acip.capsule.bhttp.Field("content-length", "10")));
        Sink sink = send(loops[0], "POST", "/upload", declared, MemoryBody.of("short"));
        try (Peer peer = accept()) {
            peer.readHead();
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
            assertEquals(400, f.status());
            assertEquals("short", peer.rest(), "and the origin never takes the next request's head as the rest");
        }
    }

    @Test
    void theHeadLeavesBeforeTheAgentsFirstContent() throws Exception {
        Stalled nothingYet = new Stalled(null);
        send(loops[0], "POST", "/stream", new Fields(List.of(new io.acip.capsule.bhttp.Field("transfer-encoding",
                "chunked"))), nothingYet);
        try (Peer peer = accept()) {
            assertTrue(peer.readHead().startsWith("POST /stream "), "an origin may answer from the head alone");
        }
    }

    @Test
    void theAgentsContentIsDemandedOnceAtATime() throws Exception {
        OneDemand body = new OneDemand();
        Sink sink = send(loops[0], "POST", "/up", new Fields(List.of(new io.acip.capsule.bhttp.Field(
                "transfer-encoding", "chunked"))), body);
        try (Peer peer = accept()) {
            peer.readHead();
            assertTrue(body.waiting.await(5, TimeUnit.SECONDS), "the first part went out, the client waits for more");
            body.more();
            assertTrue(peer.readUntil("0\r\n\r\n").contains("second"), "the chunked content ends");
            answer(peer, sink, "ok");
        }
        assertEquals(List.of(), body.violations);
    }

    @Test
    void aStatusBelow100IsAProtocolError() throws Exception {
        Sink sink = get(loops[0], "/");
        try (Peer peer = accept()) {
            peer.readHead();
            peer.write("HTTP/1.1 042 Odd\r\nContent-Length: 0\r\n\r\n");
            HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
            assertEquals(502, f.status());
            assertEquals(ProxyErrorType.HTTP_PROTOCOL_ERROR, f.error());
        }
    }

    /** {@code peer} answers 200 with {@code body}, which {@code sink} receives whole. */
    private static void answer(Peer peer, Sink sink, String body) throws Exception {
        peer.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(body, sink.text());
    }

    private Peer accept() throws IOException {
        return new Peer(origin.accept());
    }

    /** One accepted connection of the scripted origin. */
    private static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(5_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** The request head, up to its empty line. */
        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new IOException("closed before the head's end: " + head);
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** What the client sends up to and including {@code end}. */
        String readUntil(String end) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                int b = in.read();
                if (b < 0) throw new IOException("closed before " + end.strip() + ": " + got);
                got.write(b);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        /** What the client sends until it closes the connection. */
        String rest() throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) >= 0; ) got.write(b, 0, n);
            } catch (java.net.SocketException reset) {
                // closed with data unread
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        /** The client closes the connection (anything it sends first is skipped). */
        void expectClosed() throws IOException {
            byte[] skip = new byte[4096];
            try {
                while (in.read(skip) >= 0) {
                    // request content the client had sent
                }
            } catch (java.net.SocketException reset) {
                // closed with data unread: a reset is a close too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A sink that notes the loop each call arrives on, and whether it was committed when it failed. */
    private final class Sink implements ResponseSink {
        final CompletableFuture<ResponseHead> head = new CompletableFuture<>();
        final CompletableFuture<byte[]> body = new CompletableFuture<>();
        final CompletableFuture<HttpFailure> failure = new CompletableFuture<>();
        final List<ResponseHead> hints = new CopyOnWriteArrayList<>();
        /** The loop of each call (null for a call on another thread). */
        final List<EventLoop> on = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();
        volatile boolean committedWhenFailed;
        volatile boolean holdContent;
        volatile boolean calledAfterFail;
        final CompletableFuture<WriteCallback> held = new CompletableFuture<>();

        private void note() {
            EventLoop current = null;
            for (EventLoop l : loops) if (l.inEventLoop()) current = l;
            on.add(current);
        }

        @Override
        public void informational(ResponseHead h) {
            note();
            hints.add(h);
        }

        @Override
        public void head(ResponseHead h, WriteCallback done) {
            note();
            head.complete(h);
            done.done(null);
        }

        @Override
        public synchronized void content(ByteBuffer data, boolean last, WriteCallback done) {
            note();
            if (failure.isDone()) calledAfterFail = true;
            byte[] b = new byte[data.remaining()];
            data.get(b);
            content.writeBytes(b);
            if (last) body.complete(content.toByteArray());
            if (holdContent) {
                held.complete(done); // a slow agent: the write completes when the test says
            } else {
                done.done(null);
            }
        }

        @Override
        public void trailers(Fields trailers, WriteCallback done) {
            note();
            body.complete(content.toByteArray());
            done.done(null);
        }

        @Override
        public void fail(HttpFailure f) {
            committedWhenFailed = head.isDone();
            failure.complete(f);
            body.completeExceptionally(new IllegalStateException(f.toString()));
        }

        @Override
        public boolean committed() {
            return head.isDone();
        }

        String text() throws Exception {
            return new String(body.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        }
    }

    /** Request content of unknown length that gives one part and then nothing more, until aborted. */
    private static final class Stalled implements BodySource {
        final CompletableFuture<Boolean> aborted = new CompletableFuture<>();
        private final AtomicBoolean given = new AtomicBoolean();
        private final String first;

        Stalled(String first) {
            this.first = first;
        }

        @Override
        public BodyChunk read() {
            if (first != null && given.compareAndSet(false, true)) {
                return BodyChunk.of(ByteBuffer.wrap(first.getBytes(StandardCharsets.UTF_8)), false, () -> { });
            }
            return null;
        }

        @Override
        public void demand(Runnable onAvailable) {
            // never: the agent sends nothing more
        }

        @Override
        public void abort(Throwable cause) {
            aborted.complete(true);
        }
    }

    /**
     * Request content that follows Jetty's demand rule (one demand at a time, else IllegalArgumentException): a first
     * part, then, after {@link #more()}, a second and the end.
     */
    private static final class OneDemand implements BodySource {
        final List<String> violations = new CopyOnWriteArrayList<>();
        final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        private final java.util.ArrayDeque<BodyChunk> ready = new java.util.ArrayDeque<>();
        private Runnable pending;

        OneDemand() {
            ready.add(BodyChunk.of(ByteBuffer.wrap("first".getBytes(StandardCharsets.UTF_8)), false, () -> { }));
        }

        void more() {
            Runnable r;
            synchronized (this) {
                ready.add(BodyChunk.of(ByteBuffer.wrap("second".getBytes(StandardCharsets.UTF_8)), false, () -> { }));
                ready.add(BodyChunk.end(Fields.EMPTY));
                r = pending;
                pending = null;
            }
            if (r != null) r.run();
        }

        @Override
        public synchronized BodyChunk read() {
            return ready.poll();
        }

        @Override
        public void demand(Runnable onAvailable) {
            synchronized (this) {
                if (pending != null) {
                    violations.add("demand while one was pending");
                    throw new IllegalArgumentException("demand pending");
                }
                if (ready.isEmpty()) {
                    pending = onAvailable;
                    waiting.countDown();
                    return;
                }
            }
            onAvailable.run();
        }

        @Override
        public void abort(Throwable cause) {
        }
    }
}
