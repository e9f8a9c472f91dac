package io.acip.seal;

/** End-to-end protection failed: bad key share, a packet that does not open, a replay, or a skill proof refused. */
public final class SessionAuthenticationException extends Exception {
    public SessionAuthenticationException(String message) {
        super(message, null, false, false);
    }
}
