package io.acip.ingress;

/** Completion of one write: {@code failure} is null on success. Called exactly once. */
@FunctionalInterface
public interface WriteCallback {
    void done(Throwable failure);
}
