package io.acip.node;

import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** An initiator's handler that records what arrives, with futures to wait on. */
class Recorder implements SessionHandler {
    final CompletableFuture<Session> opened = new CompletableFuture<>();
    final CompletableFuture<byte[]> finished = new CompletableFuture<>();
    final CompletableFuture<String> reset = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final LinkedBlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void onOpen(Session session) {
        opened.complete(session);
    }

    @Override
    public void onData(Session session, ByteBuf data, boolean fin) {
        byte[] b = new byte[data.readableBytes()];
        data.readBytes(b);
        received.writeBytes(b);
        if (fin) finished.complete(received.toByteArray());
    }

    @Override
    public void onDatagram(Session session, ByteBuf payload) {
        byte[] b = new byte[payload.readableBytes()];
        payload.readBytes(b);
        datagrams.add(b);
    }

    @Override
    public void onReset(Session session, ResetCode code, String detail) {
        String s = code.token() + ": " + detail;
        reset.complete(s);
        opened.completeExceptionally(new IllegalStateException(s));
        finished.completeExceptionally(new IllegalStateException(s));
    }

    @Override
    public void onClose(Session session) {
        closed.complete(null);
    }
}
