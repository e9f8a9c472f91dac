package io.acip.wire;

/** ACIP v0 packet types (docs/acip-v0.md §3.1, §12). */
public enum PacketType {
    SETUP(0x01),
    SETUP_ACK(0x02),
    DATA(0x03),
    DGRAM(0x04),
    CLOSE(0x05),
    RESET(0x06),
    PING(0x07),
    /** Control channel (§12): the first packet each side sends, naming itself and its hold time. */
    OPEN(0x08),
    /** Control channel (§12): route announcements and withdrawals. */
    UPDATE(0x09),
    /** Control channel (§12): the last packet, ending the channel with a reason. */
    NOTIFICATION(0x0a);

    private static final PacketType[] BY_CODE = new PacketType[11];

    static {
        for (PacketType t : values()) BY_CODE[t.code] = t;
    }

    public final int code;

    PacketType(int code) {
        this.code = code;
    }

    /** The type with this code, or null for a code v0 does not define. */
    public static PacketType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Types whose payload is end-to-end sealed: transit nodes cannot read it. */
    public boolean sealed() {
        return this == DATA || this == DGRAM;
    }

    /** Types only the control channel carries (§12), never a session's stream. */
    public boolean control() {
        return this == OPEN || this == UPDATE || this == NOTIFICATION;
    }
}
