package io.acip.bench.footprint;

import io.acip.node.IncomingSession;
import io.acip.node.LocalSkill;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A responder that accepts every session and leaves it idle; when the initiator finishes its direction it finishes
 * its own, so the session closes cleanly. One stateless handler serves all sessions: what is measured is the node's
 * state per session, not an application's.
 */
public final class IdleSkill implements LocalSkill {
    private static final SessionHandler IDLE = new SessionHandler() {
        @Override
        public void onData(Session s, ByteBuf data, boolean fin) {
            if (fin) s.write(Unpooled.EMPTY_BUFFER, true);
        }

        @Override
        public void onReset(Session s, ResetCode code, String detail) {
        }
    };

    @Override
    public SessionHandler accept(IncomingSession session) {
        return IDLE;
    }
}
