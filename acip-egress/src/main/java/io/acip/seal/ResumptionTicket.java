package io.acip.seal;

/**
 * What one end keeps after a full handshake to resume later sessions without one (docs/acip-v0.md §7.5): the ticket
 * ID both ends derived, the resumption secret, the skill the initiator asked for (and the certificate proved), the
 * instance that proved it, and when the ticket expires ({@link System#nanoTime} clock).
 */
public record ResumptionTicket(byte[] id, byte[] secret, String skill, String instance, long expiresAtNanos) {
    public ResumptionTicket {
        if (id.length != KeySchedule.TICKET_ID_LENGTH || secret.length != KeySchedule.SECRET_LENGTH) {
            throw new IllegalArgumentException("ticket ID must be 16 bytes and the secret 32");
        }
    }

    public boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }

    @Override
    public String toString() { // the secret stays out of logs
        return "ResumptionTicket[skill=" + skill + ", instance=" + instance + "]";
    }
}
