package io.acip.wire;

import java.time.Duration;
import java.util.Optional;

/**
 * The EXCHANGES TLV (docs/acip-v0.md §13.1): an initiator's offer to carry a sequence of HTTP exchanges in one
 * {@code bhttp} session, and the responder's acceptance with its idle timeout.
 */
public final class Exchanges {
    /** The offer, in a SETUP: empty. */
    public static final Tlv OFFER = new Tlv(TlvType.EXCHANGES, new byte[0]);
    /** The least idle timeout an acceptance may name. */
    public static final Duration MIN_IDLE = Duration.ofSeconds(1);

    private Exchanges() {
    }

    /** Whether a SETUP's metadata offers a sequence of exchanges. */
    public static boolean offered(Metadata setup) {
        return setup.first(TlvType.EXCHANGES).isPresent();
    }

    /** The acceptance, in a SETUP_ACK: the responder keeps the session open {@code idle} between exchanges. */
    public static Tlv accept(Duration idle) {
        if (idle.compareTo(MIN_IDLE) < 0) throw new IllegalArgumentException("idle timeout under " + MIN_IDLE);
        return Tlv.ofVarInt(TlvType.EXCHANGES, idle.toMillis());
    }

    /**
     * The responder's idle timeout when its SETUP_ACK accepted the offer; empty when it did not (one exchange). An
     * acceptance that is not one varint of at least 1000 is not one: the session then carries one exchange, which
     * is always safe (§13.1).
     */
    public static Optional<Duration> accepted(Metadata setupAck) {
        Optional<Tlv> t = setupAck.first(TlvType.EXCHANGES);
        if (t.isEmpty()) return Optional.empty();
        try {
            long ms = t.get().varInt();
            return ms < MIN_IDLE.toMillis() ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
        } catch (MalformedPacketException e) {
            return Optional.empty();
        }
    }
}
