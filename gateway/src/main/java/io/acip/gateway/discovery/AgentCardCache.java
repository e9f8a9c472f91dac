package io.acip.gateway.discovery;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.gateway.origin.OriginFailures;
import io.acip.ingress.Exchange;
import io.acip.ingress.ResponseSink;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The far gateway's answer to a card request: the agent's card, fetched from its origin and kept with its validators.
 * A card is fresh for the origin's {@code max-age} (at most {@value #MAX_FRESH_SECONDS} s, none without one); after
 * that it is revalidated with {@code If-None-Match} / {@code If-Modified-Since}, so an unchanged card costs a 304.
 * Bounded: at most {@value #MAX_ENTRIES} cards of at most {@value #MAX_CARD_BYTES} bytes, the least recently used
 * leaving first; concurrent requests for one card share one fetch. The answer names the agent's base in
 * {@code acip-agent-base} for the edge to rewrite ({@link CardRewritingSink}); an agent's own conditional request is
 * answered 304 when its validator still matches.
 */
public final class AgentCardCache {
    public static final int MAX_CARD_BYTES = 256 * 1024;
    static final int MAX_ENTRIES = 256;
    static final int MAX_FRESH_SECONDS = 300;
    private static final long FETCH_TIMEOUT_MS = 10_000;

    /** A card as the origin last sent it. */
    record Card(int status, byte[] body, String contentType, String etag, String lastModified, String cacheControl,
                long freshUntilNanos) {
    }

    private final HttpClient client;
    private final LongSupplier nanoTime;
    private final Map<URI, Card> cards = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, Card> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private final Map<URI, CompletableFuture<Card>> fetching = new ConcurrentHashMap<>();

    public AgentCardCache(HttpClient client) {
        this(client, System::nanoTime);
    }

    AgentCardCache(HttpClient client, LongSupplier nanoTime) {
        this.client = client;
        this.nanoTime = nanoTime;
    }

    /** Answers {@code exchange} with the card at {@code cardUri}, naming {@code agentBase} as the agent's base. */
    public void serve(Exchange exchange, URI cardUri, URI agentBase) {
        exchange.body().abort(new IllegalStateException("a card request carries no content"));
        card(cardUri).whenComplete((card, failure) -> {
            ResponseSink sink = exchange.response();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                sink.fail(OriginFailures.classify(cause, true, false));
            } else if (card.status() != 200) {
                absent(sink, card.status(), "the agent's origin answered " + card.status() + " for its card at "
                        + cardUri.getRawPath());
            } else {
                answer(exchange, card, agentBase);
            }
        });
    }

    /** The origin's own refusal, relayed with its status (no Proxy-Status: the gateway did not fail). */
    private static void absent(ResponseSink sink, int status, String detail) {
        var doc = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("title", "no agent card").put("status", status).put("detail", detail);
        byte[] body = doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sink.head(new ResponseHead(status, Fields.of("content-type", "application/problem+json", "content-length",
                Integer.toString(body.length))), failure -> {
            if (failure == null) sink.content(ByteBuffer.wrap(body), true, done -> { });
        });
    }

    private static void answer(Exchange exchange, Card card, URI agentBase) {
        ResponseSink sink = exchange.response();
        List<String> fields = new ArrayList<>();
        if (card.etag() != null) fields.addAll(List.of("etag", card.etag()));
        if (card.lastModified() != null) fields.addAll(List.of("last-modified", card.lastModified()));
        if (card.cacheControl() != null) fields.addAll(List.of("cache-control", card.cacheControl()));
        if (notModified(exchange.request().headers(), card)) {
            sink.head(new ResponseHead(304, Fields.of(fields.toArray(String[]::new))), ignored -> {
                sink.content(ByteBuffer.allocate(0), true, done -> { });
            });
            return;
        }
        fields.addAll(List.of("content-type", card.contentType() == null ? "application/json" : card.contentType(),
                "content-length", Integer.toString(card.body().length),
                AgentCardPaths.AGENT_BASE_FIELD, agentBase.toString()));
        sink.head(new ResponseHead(200, Fields.of(fields.toArray(String[]::new))), failure -> {
            if (failure == null) sink.content(ByteBuffer.wrap(card.body()), true, done -> { });
        });
    }

    /** RFC 9110 §13.1.1 (weak comparison) and §13.1.3, the latter only without If-None-Match. */
    private static boolean notModified(Fields request, Card card) {
        var inm = request.first("if-none-match");
        if (inm.isPresent()) {
            String mine = card.etag() == null ? null : weak(card.etag());
            for (String tag : inm.get().split(",")) {
                String t = tag.trim();
                if (t.equals("*") || weak(t).equals(mine)) return true;
            }
            return false;
        }
        return card.lastModified() != null
                && request.first("if-modified-since").map(card.lastModified()::equals).orElse(false);
    }

    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** The card, from the cache while fresh, else fetched or revalidated (one fetch per card at a time). */
    CompletableFuture<Card> card(URI uri) {
        Card cached;
        synchronized (cards) {
            cached = cards.get(uri);
        }
        if (cached != null && cached.freshUntilNanos() - nanoTime.getAsLong() > 0) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Card> mine = new CompletableFuture<>();
        CompletableFuture<Card> running = fetching.putIfAbsent(uri, mine);
        if (running != null) return running;
        fetch(uri, cached).whenComplete((card, failure) -> {
            fetching.remove(uri, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(card);
            }
        });
        return mine;
    }

    private CompletableFuture<Card> fetch(URI uri, Card cached) {
        Request request = client.newRequest(uri)
                .method(HttpMethod.GET)
                .accept("application/json")
                .headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, "identity"))
                .followRedirects(false)
                .timeout(FETCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (cached != null && cached.status() == 200) {
            if (cached.etag() != null) request.headers(h -> h.put(HttpHeader.IF_NONE_MATCH, cached.etag()));
            if (cached.lastModified() != null) {
                request.headers(h -> h.put(HttpHeader.IF_MODIFIED_SINCE, cached.lastModified()));
            }
        }
        return new CompletableResponseListener(request, MAX_CARD_BYTES).send()
                .thenApply(response -> store(uri, cached, response));
    }

    private Card store(URI uri, Card cached, ContentResponse response) {
        String cacheControl = response.getHeaders().get(HttpHeader.CACHE_CONTROL);
        long fresh = nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(maxAge(cacheControl));
        Card card;
        if (response.getStatus() == 304 && cached != null) {
            card = new Card(200, cached.body(), cached.contentType(), cached.etag(), cached.lastModified(),
                    cacheControl != null ? cacheControl : cached.cacheControl(), fresh);
        } else if (response.getStatus() == 200) {
            card = new Card(200, response.getContent(), response.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    response.getHeaders().get(HttpHeader.ETAG), response.getHeaders().get(HttpHeader.LAST_MODIFIED),
                    cacheControl, fresh);
        } else {
            return new Card(response.getStatus(), new byte[0], null, null, null, null, fresh);
        }
        synchronized (cards) {
            if (noStore(cacheControl)) {
                cards.remove(uri);
            } else {
                cards.put(uri, card);
            }
        }
        return card;
    }

    /** Seconds the origin lets a card be used without asking again, within our bound; 0 when it says nothing. */
    static long maxAge(String cacheControl) {
        if (cacheControl == null) return 0;
        for (String d : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String t = d.trim();
            if (t.equals("no-cache") || t.equals("no-store")) return 0;
        }
        for (String d : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String t = d.trim();
            if (t.startsWith("max-age=")) {
                try {
                    return Math.min(MAX_FRESH_SECONDS, Math.max(0, Long.parseLong(t.substring(8).replace("\"", ""))));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static boolean noStore(String cacheControl) {
        return cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-store");
    }
}
