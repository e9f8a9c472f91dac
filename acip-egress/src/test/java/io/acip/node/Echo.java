package io.acip.node;

import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;

/** A responder that sends back every byte and datagram it gets, and finishes when the initiator does. */
final class Echo implements SessionHandler {
    static final LocalSkill SKILL = incoming -> new Echo();

    @Override
    public void onData(Session session, ByteBuf data, boolean fin) {
        session.write(data.retain(), fin);
    }

    @Override
    public void onDatagram(Session session, ByteBuf payload) {
        session.writeDatagram(payload.retain());
    }

    @Override
    public void onReset(Session session, ResetCode code, String detail) {
    }
}
