package io.acip.gateway.bridge;

import io.acip.ingress.Exchange;
import io.acip.node.IncomingSession;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.Exchanges;
import io.acip.wire.ResetCode;
import io.acip.wire.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A far gateway's session that carries a sequence of exchanges (docs/acip-v0.md §13): each request in turn becomes a
 * {@link FarExchange} for the stage; between them the session waits for the idle timeout it announced in its
 * SETUP_ACK, then ends with FIN, as it does at once when its node drains. All of it runs on the session's loop.
 */
public final class FarSession implements SessionHandler {
    private final IncomingSession incoming;
    private final BridgeConfig config;
    private final Consumer<Exchange> stage;
    private final SessionPool pool;
    private final Supplier<Runnable> inFlight;
    private final Duration idle;
    private Session session;
    private FarExchange current;
    private Runnable currentDone;
    private boolean finSent;
    private boolean initiatorFinished;
    /** The node drains or the instance was detached: the exchange in progress, if any, is the last. */
    private boolean ending;
    private IdleTimer idleTimer;

    /**
     * Serves the exchanges of {@code incoming} to {@code stage}; {@code inFlight} counts one exchange in progress
     * and returns what uncounts it.
     */
    FarSession(IncomingSession incoming, BridgeConfig config, Consumer<Exchange> stage, SessionPool pool,
                      Supplier<Runnable> inFlight) {
        this.incoming = incoming;
        this.config = config;
        this.stage = stage;
        this.pool = pool;
        this.inFlight = inFlight;
        this.idle = pool.settings().responderIdleTimeout();
    }

    @Override
    public List<Tlv> setupAckMetadata() {
        return List.of(Exchanges.accept(idle));
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        pool.serving(this, true);
        idleTimer = new IdleTimer(s.eventLoop(), idle.toNanos(), () -> {
            if (current != null || !session.isOpen()) return;
            if (finSent) {
                session.reset(ResetCode.TIMEOUT, "no FIN within " + idle.toMillis() + " ms of this end's");
            } else {
                end();
            }
        });
        idleTimer.restart();
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        ByteBuffer in = data.nioBuffer();
        while (in.hasRemaining() && !finSent) { // §13.3: what arrives after this end's FIN is never read
            if (current == null) {
                idleTimer.busy();
                current = new FarExchange(incoming, config, stage, this);
                currentDone = inFlight.get();
                current.onOpen(s);
            } else if (current.requestComplete()) {
                s.reset(ResetCode.PROTOCOL_VIOLATION, "a request before the response to the previous one (§13.2)");
                return;
            }
            current.deliver(s, in);
            if (!s.isOpen()) return;
        }
        if (!fin) return;
        initiatorFinished = true;
        if (current == null) {
            end(); // the initiator ended between exchanges: this end's FIN, and the node's CLOSE
        } else if (!current.requestComplete()) {
            s.reset(ResetCode.PROTOCOL_VIOLATION, "the session ended inside a request (§13.2)");
        } // else the response in progress ends the session (endsWith)
    }

    /** Whether {@code e}'s response is the session's last, so its last DATA carries FIN (§13.3). */
    boolean endsWith(FarExchange e) {
        return !e.requestComplete() || initiatorFinished || ending;
    }

    /** {@code e}'s response went whole; {@code fin} says whether that ended this direction. */
    void responseDone(FarExchange e, boolean fin) {
        if (e != current) return;
        current = null;
        uncount();
        if (fin) finSent = true; // then the initiator's FIN closes the session; without it, the idle timer resets it
        idleTimer.restart();
    }

    /**
     * The node drains (§6.5) or the instance was detached: an idle session ends now, a busy one after its response
     * (endsWith), so no later exchange reaches an instance that is gone.
     */
    void drain() {
        session.eventLoop().execute(() -> {
            ending = true;
            if (current == null) end();
        });
    }

    String instanceId() {
        return incoming.instanceId();
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        ended();
        FarExchange e = current;
        current = null;
        uncount();
        if (e != null) e.onReset(s, code, detail);
    }

    @Override
    public void onClose(Session s) {
        ended();
        FarExchange e = current;
        current = null;
        uncount();
        if (e != null) e.onClose(s);
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        if (current != null) current.onWritabilityChanged(s, writable);
    }

    private void end() {
        if (finSent || !session.isOpen()) return;
        finSent = true;
        session.write(Unpooled.EMPTY_BUFFER, true);
        idleTimer.restart();
    }

    private void uncount() {
        if (currentDone != null) {
            currentDone.run();
            currentDone = null;
        }
    }

    private void ended() {
        if (idleTimer != null) idleTimer.stop();
        pool.serving(this, false);
    }
}
