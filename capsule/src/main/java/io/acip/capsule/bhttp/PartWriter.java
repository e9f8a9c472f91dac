package io.acip.capsule.bhttp;

import io.acip.capsule.VarInt;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/** Writes the parts both framings share: length-prefixed strings, control data, field sections, content, padding. */
final class PartWriter {
    private PartWriter() {
    }

    static int stringSize(String s) {
        return VarInt.length(s.length()) + s.length();
    }

    /** Each char is one byte on the wire (ISO-8859-1); the value types refuse chars above 0xFF. */
    static void writeString(ByteBuffer dst, String s) {
        VarInt.write(dst, s.length());
        for (int i = 0; i < s.length(); i++) {
            dst.put((byte) s.charAt(i));
        }
    }

    /** RFC 9292 §3.4: method, scheme, authority, path, each length-prefixed. */
    static int controlDataSize(RequestHead head) {
        return Math.addExact(Math.addExact(stringSize(head.method()), stringSize(head.scheme())),
                Math.addExact(stringSize(head.authority()), stringSize(head.path())));
    }

    static void writeControlData(ByteBuffer dst, RequestHead head) {
        writeString(dst, head.method());
        writeString(dst, head.scheme());
        writeString(dst, head.authority());
        writeString(dst, head.path());
    }

    /**
     * RFC 9292 §3.1 prefixes a known-length section with its size; §3.2 ends an indeterminate-length one with a zero,
     * which no field line can start with since names are never empty.
     */
    static int sectionSize(Fields fields, boolean knownLength) {
        int lines = linesSize(fields);
        return Math.addExact(lines, knownLength ? VarInt.length(lines) : 1);
    }

    static void writeSection(ByteBuffer dst, Fields fields, boolean knownLength) {
        if (knownLength) {
            VarInt.write(dst, linesSize(fields));
        }
        for (Field line : fields.lines()) {
            writeString(dst, line.name());
            writeString(dst, line.value());
        }
        if (!knownLength) {
            dst.put((byte) 0);
        }
    }

    static int responseSize(ResponseHead head, boolean knownLength) {
        return Math.addExact(VarInt.length(head.status()), sectionSize(head.fields(), knownLength));
    }

    /** RFC 9292 §3.5: the status as an integer, then its header section. */
    static void writeResponse(ByteBuffer dst, ResponseHead head, boolean knownLength) {
        VarInt.write(dst, head.status());
        writeSection(dst, head.fields(), knownLength);
    }

    static int prefixedSize(int length) {
        return Math.addExact(VarInt.length(length), length);
    }

    /** A length prefix and the bytes; the source's position is left alone. */
    static void writePrefixed(ByteBuffer dst, ByteBuffer src) {
        int n = src.remaining();
        VarInt.write(dst, n);
        dst.put(dst.position(), src, src.position(), n);
        dst.position(dst.position() + n);
    }

    /** RFC 9292 §3.8: padding is zero-valued bytes. */
    static void writePadding(ByteBuffer dst, int padding) {
        for (int i = 0; i < padding; i++) {
            dst.put((byte) 0);
        }
    }

    static void requireRoom(ByteBuffer dst, int size) {
        if (dst.remaining() < size) {
            throw new BufferOverflowException();
        }
    }

    static void requireTrailers(Fields trailers) {
        if (trailers.hasPseudoFields()) {
            throw new IllegalArgumentException("trailers cannot carry pseudo-fields (RFC 9292 §3.6)");
        }
    }

    static void requirePadding(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("negative padding: " + padding);
        }
    }

    private static int linesSize(Fields fields) {
        int lines = 0;
        for (Field line : fields.lines()) {
            lines = Math.addExact(lines, Math.addExact(stringSize(line.name()), stringSize(line.value())));
        }
        return lines;
    }
}
