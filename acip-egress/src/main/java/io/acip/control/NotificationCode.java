package io.acip.control;

/** Why a control channel ended (docs/acip-v0.md §12.5). */
public enum NotificationCode {
    MALFORMED_MESSAGE(0x01),
    UNEXPECTED_MESSAGE(0x02),
    BAD_OPEN(0x03),
    UNSUPPORTED_CAPABILITY(0x04),
    MALFORMED_UPDATE(0x05),
    HOLD_TIMER_EXPIRED(0x06),
    MAX_PREFIXES_EXCEEDED(0x07),
    CEASE(0x08);

    public final int code;

    NotificationCode(int code) {
        this.code = code;
    }

    /** The code, or {@code CEASE} for one this version does not define. */
    public static NotificationCode of(long code) {
        for (NotificationCode c : values()) if (c.code == code) return c;
        return CEASE;
    }

    /** The name in logs and counters. */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
