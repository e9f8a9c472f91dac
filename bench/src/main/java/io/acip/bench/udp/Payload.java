package io.acip.bench.udp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Random;

/** The fixed-size UDP payload every row sends: its sequence number in the first 8 bytes, then fixed random bytes. */
public record Payload(byte[] template) {
    public static final int MIN_SIZE = Long.BYTES;

    public static Payload of(int size) {
        if (size < MIN_SIZE) throw new IllegalArgumentException("payload under " + MIN_SIZE + " bytes");
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return new Payload(bytes);
    }

    public int size() {
        return template.length;
    }

    public void writeTo(ByteBuf out, long seq) {
        out.writeLong(seq).writeBytes(template, MIN_SIZE, template.length - MIN_SIZE);
    }

    public void writeTo(ByteBuffer out, long seq) {
        out.putLong(seq).put(template, MIN_SIZE, template.length - MIN_SIZE);
    }

    /** The sequence number of an echoed payload starting at {@code index}. */
    public static long seq(ByteBuf echoed, int index) {
        return echoed.getLong(index);
    }
}
