package io.acip.gateway.discovery;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's side of a card request: a 200 that names the agent's base ({@code acip-agent-base}, from the far
 * gateway) is collected whole (up to {@link AgentCardCache#MAX_CARD_BYTES}), rewritten by {@link AgentCardUrls} and
 * passed on with its new length. Anything else (a 304, an error, a far gateway that names no base) passes through
 * as it came; the base field never reaches the agent.
 */
public final class CardRewritingSink implements ResponseSink {
    private final ResponseSink out;
    private final String requestBase;
    private ResponseHead held;
    private List<URI> bases;
    private ByteArrayOutputStream card;

    private CardRewritingSink(ResponseSink out, String requestBase) {
        this.out = out;
        this.requestBase = requestBase;
    }

    /** {@code exchange}, with its response rewritten when it is a card; {@code skillPath} is what the skill sees. */
    public static Exchange wrap(Exchange exchange, String skillPath) {
        RequestInfo r = exchange.request();
        ResponseSink sink = new CardRewritingSink(exchange.response(), AgentCardPaths.requestBase(r, skillPath));
        return new Exchange() {
            @Override
            public RequestInfo request() {
                return r;
            }

            @Override
            public BodySource body() {
                return exchange.body();
            }

            @Override
            public ResponseSink response() {
                return sink;
            }

            @Override
            public void onEnd(Runnable action) {
                exchange.onEnd(action);
            }
        };
    }

    @Override
    public void informational(ResponseHead head) {
        out.informational(head);
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        List<URI> named = new ArrayList<>();
        List<Field> kept = new ArrayList<>();
        for (Field f : head.fields().lines()) {
            if (!f.name().equals(AgentCardPaths.AGENT_BASE_FIELD)) {
                kept.add(f);
                continue;
            }
            for (String v : f.value().split(",")) {
                try {
                    URI u = URI.create(v.trim());
                    if (u.getScheme() != null && u.getHost() != null) named.add(u);
                } catch (IllegalArgumentException ignored) {
                    // a base that is no URL names nothing to rewrite
                }
            }
        }
        if (head.status() != 200 || named.isEmpty()) {
            out.head(new ResponseHead(head.status(), new Fields(kept)), done);
            return;
        }
        kept.removeIf(f -> f.name().equals("content-length"));
        held = new ResponseHead(200, new Fields(kept));
        bases = List.copyOf(named);
        card = new ByteArrayOutputStream();
        done.done(null);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        if (held == null) {
            out.content(data, last, done);
            return;
        }
        if (card.size() + data.remaining() > AgentCardCache.MAX_CARD_BYTES) {
            held = null;
            out.fail(new HttpFailure(502, ProxyErrorType.HTTP_RESPONSE_BODY_SIZE, "agent card larger than "
                    + AgentCardCache.MAX_CARD_BYTES + " bytes"));
            done.done(new IllegalStateException("agent card too large"));
            return;
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        card.writeBytes(chunk);
        if (last) {
            emit(done);
        } else {
            done.done(null);
        }
    }

    @Override
    public void trailers(Fields trailers, WriteCallback done) {
        if (held == null) {
            out.trailers(trailers, done);
        } else {
            emit(done); // the card's trailers, if any, describe bytes that changed
        }
    }

    private void emit(WriteCallback done) {
        byte[] original = card.toByteArray();
        byte[] body = AgentCardUrls.rewrite(original, bases, requestBase).orElse(original);
        List<Field> fields = new ArrayList<>(held.fields().lines());
        fields.add(new Field("content-length", Integer.toString(body.length)));
        ResponseHead head = new ResponseHead(200, new Fields(fields));
        held = null;
        out.head(head, failure -> {
            if (failure != null) {
                done.done(failure);
            } else {
                out.content(ByteBuffer.wrap(body), true, done);
            }
        });
    }

    @Override
    public void fail(HttpFailure failure) {
        held = null;
        out.fail(failure);
    }

    @Override
    public boolean committed() {
        return out.committed();
    }
}
