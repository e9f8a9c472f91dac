package io.acip.node;

/** Delivers sessions for a skill served on this node: the interface the gateway's far side implements. */
@FunctionalInterface
public interface LocalSkill {
    /**
     * A session arrived; return who handles it, or refuse. Called on the node's event loop: decide quickly.
     */
    SessionHandler accept(IncomingSession session) throws SessionRefusedException;
}
