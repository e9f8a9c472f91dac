package io.acip.gateway.registry;

import io.acip.gateway.attach.AgentCardFetcher;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.RegistrationException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Implicit lease renewal: every third of the lease, each registration whose agent's A2A card still answers 200 at
 * its origin ({@code /.well-known/agent-card.json}) is renewed, so an agent that serves a card needs no
 * {@code PUT /agents/<name>/lease} of its own. Every replica does it; a renewal is idempotent. An agent without a
 * card, or gone, lapses unless it renews itself.
 */
public final class CardRenewal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CardRenewal.class.getName());

    private final RegistrySync sync;
    private final HttpClient http;
    private final Duration every;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-card-renewal");
        t.setDaemon(true);
        return t;
    });

    public CardRenewal(RegistrySync sync, HttpClient http, Duration lease) {
        this.sync = sync;
        this.http = http;
        this.every = Duration.ofMillis(Math.max(500, lease.toMillis() / 3));
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        for (Registration r : sync.registrations()) {
            URI card;
            try {
                card = AgentCardFetcher.cardUri(r.parse().origin());
            } catch (RegistrationException e) {
                continue;
            }
            http.newRequest(card).method(HttpMethod.GET).followRedirects(false)
                    .timeout(every.toMillis(), TimeUnit.MILLISECONDS)
                    .send(result -> {
                        if (result.isSucceeded() && result.getResponse().getStatus() == 200) {
                            timer.execute(() -> renew(r.agent()));
                        }
                    });
        }
    }

    private void renew(String agent) {
        try {
            sync.registry().renew(agent);
        } catch (AttachRefusedException e) {
            LOG.fine(() -> "registry: agent " + agent + "'s card answers but its lease was not renewed: "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
