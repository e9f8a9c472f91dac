package io.acip.ingress;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import java.util.ArrayList;
import java.util.List;

/**
 * The test handlers' echo of a request body, whatever listener carried it: one chunk at a time, each released once
 * its write completed; trailers come back with {@code x-server-trailer: done} added.
 */
public record EchoPump(Exchange exchange) {
    public void pump() {
        BodyChunk chunk = exchange.body().read();
        if (chunk == null) {
            exchange.body().demand(this::pump);
            return;
        }
        if (chunk.failure() != null) {
            exchange.response().fail(new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR, "body failed"));
            return;
        }
        if (chunk.last()) {
            Fields trailers = chunk.trailers();
            if (trailers.isEmpty()) {
                exchange.response().content(chunk.data(), true, f -> chunk.release());
            } else {
                List<Field> echoed = new ArrayList<>(trailers.lines());
                echoed.add(new Field("x-server-trailer", "done"));
                exchange.response().content(chunk.data(), false, f -> {
                    chunk.release();
                    exchange.response().trailers(new Fields(echoed), g -> { });
                });
            }
            return;
        }
        exchange.response().content(chunk.data(), false, f -> {
            chunk.release();
            if (f == null) pump();
        });
    }
}
