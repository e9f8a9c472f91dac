package io.acip.gateway.auth;

/** A credential was presented and is not good: the message says why, for the challenge's error_description. */
final class CredentialException extends Exception {
    CredentialException(String message) {
        super(message, null, false, false);
    }
}
