package io.acip.bench.udp;

import java.util.List;

/**
 * One way to reach the UDP echo server: bare UDP, or a CONNECT-UDP flow through the gateway. Open (connected, the flow
 * accepted) when constructed; {@link #window()} drives it, not yet started.
 */
public interface EchoPath extends AutoCloseable {
    EchoWindow window();

    /** What the path itself saw going wrong (refusals, resets, oversize datagrams), for the notes under the table. */
    default List<String> notes() {
        return List.of();
    }

    @Override
    void close() throws Exception;
}
