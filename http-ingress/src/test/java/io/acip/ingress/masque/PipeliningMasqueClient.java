package io.acip.ingress.masque;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link MasqueClient} that can send UDP payloads right behind its request, before any response came. */
public interface PipeliningMasqueClient extends MasqueClient {
    /**
     * Sends a CONNECT-UDP request (Capsule-Protocol set) and then, without waiting for the response, one DATAGRAM
     * capsule per payload. Returns once all of it was written; the future completes with the response.
     */
    CompletableFuture<Flow> openAhead(String authority, String pathAndQuery, List<byte[]> payloads, Duration timeout)
            throws Exception;

    /** Closes every flow and the connections; failing to is a test bug, so nothing is declared. */
    @Override
    void close();
}
