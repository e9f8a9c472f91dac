package io.acip.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class SseAgentTest extends RunningDemoAgents {
    @Test
    void streamsNumberedEventsAsTheyAreMade() throws Exception {
        HttpResponse<Stream<String>> r = client.http.send(client.request("/sse?n=3&interval_ms=400").GET().build(),
                HttpResponse.BodyHandlers.ofLines());

        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-cache", r.headers().firstValue("cache-control").orElseThrow());
        List<String> lines = new ArrayList<>();
        List<Long> dataAt = new ArrayList<>();
        try (Stream<String> body = r.body()) {
            Iterator<String> it = body.iterator();
            while (it.hasNext()) {
                String line = it.next();
                lines.add(line);
                if (line.startsWith("data: ")) dataAt.add(System.nanoTime());
            }
        }
        assertEquals(List.of("id: 1", "data", "", "id: 2", "data", "", "id: 3", "data", ""),
                lines.stream().map(l -> l.startsWith("data: ") ? "data" : l).toList());
        JsonNode third = DemoClient.JSON.readTree(lines.get(7).substring("data: ".length()));
        assertEquals(3, third.get("seq").asInt());
        assertEquals(3, third.get("of").asInt());
        // Flushed per event: the first arrived well before the last was made (two 400 ms pauses later).
        assertTrue(TimeUnit.NANOSECONDS.toMillis(dataAt.get(2) - dataAt.get(0)) >= 600,
                "events arrived together: not flushed one by one");
    }

    @Test
    void defaultsToFiveEvents() throws Exception {
        String body = client.send(client.request("/sse?interval_ms=0").GET().build()).body();
        assertEquals(5, body.split("\n\n").length);
        assertTrue(body.startsWith("id: 1\ndata: {\"seq\":1,\"of\":5,"), body);
    }

    @Test
    void zeroEventsIsAnEmptyStream() throws Exception {
        HttpResponse<String> r = client.send(client.request("/sse?n=0").GET().build());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void refusesOutOfRangeParameters() throws Exception {
        for (String q : List.of("n=10001", "n=-1", "n=x", "interval_ms=60001", "interval_ms=1.5")) {
            assertEquals(400, client.send(client.request("/sse?" + q).GET().build()).statusCode(), q);
        }
    }

    @Test
    void manyStreamsShareTheSchedulerNotThreads() throws Exception {
        // More open streams than the server has threads (200 by default), all between two events: only timers wait.
        int streams = 300;
        List<CompletableFuture<HttpResponse<Stream<String>>>> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            all.add(client.http.sendAsync(client.request("/sse?n=2&interval_ms=3000").GET().build(),
                    HttpResponse.BodyHandlers.ofLines()));
        }
        List<Iterator<String>> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<Stream<String>>> f : all) {
            Iterator<String> body = f.get(30, TimeUnit.SECONDS).body().iterator();
            assertEquals("id: 1", body.next(), "the first event is out");
            bodies.add(body);
        }
        QueuedThreadPool threads = (QueuedThreadPool) agents.server().getThreadPool();
        assertTrue(threads.getBusyThreads() < 50, "busy server threads while 300 streams wait: "
                + threads.getBusyThreads());
        for (Iterator<String> body : bodies) {
            int events = 1;
            while (body.hasNext()) if (body.next().startsWith("id: ")) events++;
            assertEquals(2, events);
        }
    }
}
