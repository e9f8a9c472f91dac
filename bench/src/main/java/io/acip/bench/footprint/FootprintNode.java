package io.acip.bench.footprint;

import java.net.InetSocketAddress;

/** A node of the measured line, in this JVM ({@link LineNode}) or in one of its own ({@link ChildNode}). */
public interface FootprintNode extends AutoCloseable {
    String id();

    /** The process it lives in: what its heap is measured in. */
    long pid();

    /** Where it accepts links. */
    InetSocketAddress address();

    /** Returns once a link with {@code peer} is up here. */
    void awaitLink(String peer) throws Exception;

    /** Makes room for {@code capacity} sessions opened from here (before the baseline). */
    void prepare(int capacity) throws Exception;

    /** Opens idle sessions from here, at most {@code window} unanswered at once. */
    IdleSessions.Result open(int count, int window) throws Exception;

    /** Ends the sessions opened from here; returns how many did not end in time. */
    int endAll() throws Exception;

    /** Sessions opened from here that were reset while idle. */
    long resetAfterOpen() throws Exception;

    /** What the node counts toward {@code max_sessions}. */
    int activeSessions() throws Exception;

    @Override
    void close();
}
