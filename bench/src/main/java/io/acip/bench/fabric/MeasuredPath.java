package io.acip.bench.fabric;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;

/** Two ends and what lies between them, measured one way: bulk stream or datagrams. */
public interface MeasuredPath extends AutoCloseable {
    /** Bulk transfer writing {@code chunk} over and over while the path is writable. */
    Measurement stream(ByteBuf chunk, Duration warmup, Duration duration) throws Exception;

    /** Datagrams of {@code payload} sent as fast as the sender's loop turns. */
    Measurement datagrams(ByteBuf payload, Duration warmup, Duration duration) throws Exception;

    /** Anything that went wrong meanwhile and is worth a line under the table. */
    default List<String> notes() {
        return List.of();
    }

    @Override
    void close();
}
