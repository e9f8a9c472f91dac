package io.acip.capsule.bhttp;

import io.acip.capsule.VarInt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Hand-built wire bytes for tests that need a message no encoder would write. */
final class Wire {
    private Wire() {
    }

    /** Numbers become varints, strings length-prefixed bytes (one per char), byte arrays go in as they are. */
    static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Number n) {
                out.writeBytes(varInt(n.longValue()));
            } else if (part instanceof String s) {
                out.writeBytes(varInt(s.length()));
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                throw new IllegalArgumentException(String.valueOf(part));
            }
        }
        return out.toByteArray();
    }

    /** {@link #of} with its own length in front: a known-length field section or content. */
    static byte[] known(Object... parts) {
        byte[] body = of(parts);
        return of((long) body.length, body);
    }

    /** The bytes of a string, one per char, without a length. */
    static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] varInt(long v) {
        ByteBuffer b = ByteBuffer.allocate(VarInt.length(v));
        VarInt.write(b, v);
        return b.array();
    }
}
