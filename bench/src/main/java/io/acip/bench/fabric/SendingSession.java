package io.acip.bench.fabric;

import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * The initiator end of a measured session: once open, a {@link Pump} writes DATA chunks (stream mode) or datagrams
 * (datagram mode) while {@link Session#isWritableByApplication()} holds, and resumes on
 * {@link #onWritabilityChanged}: the backpressure contract an application is held to.
 */
public final class SendingSession implements SessionHandler {
    private final ByteBuf unit;
    final CompletableFuture<Pump> opened = new CompletableFuture<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();
    private Pump pump;

    /** @param unit what each write sends (a retained duplicate of it): a chunk, or a datagram payload */
    public SendingSession(ByteBuf unit) {
        this.unit = unit;
    }

    @Override
    public void onOpen(Session session) {
        pump = session.isDatagramMode() ? datagrams(session) : chunks(session);
        pump.start();
        opened.complete(pump);
    }

    private Pump chunks(Session session) {
        return new Pump(session.eventLoop()) {
            @Override
            protected boolean writable() {
                return session.isWritableByApplication();
            }

            @Override
            protected long writeOne() {
                session.write(unit.retainedDuplicate(), false);
                return unit.readableBytes();
            }

            @Override
            protected int burst() {
                return 16;
            }
        };
    }

    private Pump datagrams(Session session) {
        return new Pump(session.eventLoop()) {
            @Override
            protected boolean writable() {
                return session.isWritableByApplication();
            }

            @Override
            protected long writeOne() {
                session.writeDatagram(unit.retainedDuplicate());
                return 1;
            }

            @Override
            protected int burst() {
                return 32;
            }
        };
    }

    @Override
    public void onWritabilityChanged(Session session, boolean writable) {
        if (writable && pump != null) pump.resume();
    }

    @Override
    public void onClose(Session session) {
        ended.complete("closed");
    }

    @Override
    public void onReset(Session session, ResetCode code, String detail) {
        opened.completeExceptionally(new IllegalStateException("session reset: " + code.token() + ": " + detail));
        ended.complete(code.token() + ": " + detail);
    }
}
