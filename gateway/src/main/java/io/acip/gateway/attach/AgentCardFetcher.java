package io.acip.gateway.attach;

import io.acip.wire.SkillName;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Fetches an agent's A2A Agent Card from {@code <base>/.well-known/agent-card.json} and reads it with
 * {@link AgentCard}. Discovery happens before any trust, so it is conservative: no redirects followed, a whole-fetch
 * timeout, and at most {@value #MAX_CARD_BYTES} bytes read.
 */
public final class AgentCardFetcher {
    public static final String WELL_KNOWN_PATH = "/.well-known/agent-card.json";
    public static final int MAX_CARD_BYTES = JsonAt.MAX_DOCUMENT_BYTES;

    private final HttpClient client;
    private final Duration timeout;

    public AgentCardFetcher(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** The card's URL: the well-known path under {@code base}'s path. */
    public static URI cardUri(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + WELL_KNOWN_PATH);
    }

    /**
     * The registration the card describes. Fails with {@link IOException} when the card cannot be fetched (network,
     * timeout, status other than 200, larger than the limit) and with {@link RegistrationException} when it can but
     * is not acceptable.
     */
    public CompletableFuture<AgentRegistration> fetch(URI base, SkillName namespace) {
        URI uri = cardUri(base);
        Request request = client.newRequest(uri)
                .method(HttpMethod.GET)
                .accept("application/json")
                .followRedirects(false)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new CompletableResponseListener(request, MAX_CARD_BYTES).send()
                .handle((response, failure) -> {
                    if (failure != null) throw new CompletionException(fetchFailure(uri, failure));
                    return read(uri, response, namespace);
                });
    }

    private static AgentRegistration read(URI uri, ContentResponse response, SkillName namespace) {
        if (response.getStatus() != 200) {
            throw new CompletionException(new IOException("GET " + uri + " answered " + response.getStatus()));
        }
        try {
            return AgentCard.parse(response.getContent(), namespace);
        } catch (RegistrationException e) {
            throw new CompletionException(e);
        }
    }

    private static IOException fetchFailure(URI uri, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        // The buffering listener refuses content beyond its capacity with an IllegalArgumentException.
        String why = cause instanceof IllegalArgumentException
                ? "card larger than " + MAX_CARD_BYTES + " bytes"
                : cause.toString();
        return new IOException("GET " + uri + " failed: " + why, cause);
    }
}
