package io.acip.capsule;

/** Capsule types this project understands (IANA "HTTP Capsule Types"). Anything else is skipped (RFC 9297 §3.2). */
public final class CapsuleType {
    /** DATAGRAM: carries one HTTP Datagram payload on the request stream (RFC 9297 §3.5). */
    public static final long DATAGRAM = 0x00;

    private CapsuleType() {
    }
}
