package io.acip.capsule.bhttp;

/** Whether a binary message is a request or a response (RFC 9292 §3.3). */
public enum MessageKind {
    REQUEST,
    RESPONSE
}
