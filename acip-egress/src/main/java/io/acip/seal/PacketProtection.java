package io.acip.seal;

import io.acip.wire.Header;
import io.acip.wire.PacketType;
import io.acip.wire.Sealed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-GCM protection of one direction of a session (docs/acip-v0.md §7.3). The sender numbers packets from 0
 * and never reuses a number, so a nonce (IV xor packet number) is never reused under a key. The receiver opens
 * stream packets strictly in order (they ride one ordered QUIC stream, so a gap or repeat is an attack) and
 * datagrams through a {@link ReplayWindow}. Not thread-safe: one instance per direction, used on one thread.
 */
public final class PacketProtection {
    /** Raw key material of one direction. */
    public record Keys(byte[] key, byte[] iv) {
    }

    private final SecretKeySpec key;
    private final byte[] iv;
    private final byte[] nonce = new byte[SessionKeys.IV_LENGTH];
    private final byte[] aad = new byte[Sealed.AAD_LENGTH];
    /** The provider of AES/GCM, looked up once: a lookup per session costs more than a small exchange's packets. */
    private static final Provider GCM_PROVIDER;

    static {
        try {
            GCM_PROVIDER = Cipher.getInstance("AES/GCM/NoPadding").getProvider();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cipher cipher;
    /*
     * HEAP_OUTPUT: sealed packets and opened plaintext go into heap buffers. The JDK's AES-GCM works on their arrays
     * directly; given direct buffers it stages them through temporary arrays: 3 KB of garbage and ~25 % more time
     * per 1200-byte packet, which at one session per HTTP exchange made packet protection the largest allocator.
     */
    /** Datagram mode only: made on the first datagram opened. */
    private ReplayWindow replay;
    private long nextSend;
    private long nextReceive;

    public PacketProtection(Keys keys) {
        this.key = new SecretKeySpec(keys.key(), "AES");
        this.iv = keys.iv().clone();
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding", GCM_PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required of every JDK", e);
        }
    }

    /**
     * Seals {@code plaintext} (its readable bytes, not consumed) into a new packet of {@code type} with the next
     * packet number. The caller owns the returned buffer.
     */
    public ByteBuf seal(ByteBufAllocator alloc, PacketType type, int flags, int label, ByteBuf plaintext) {
        long pn = nextSend++;
        int len = plaintext.readableBytes();
        ByteBuf out = alloc.heapBuffer(Sealed.OVERHEAD + len); // see HEAP_OUTPUT
        try {
            Header.write(out, type, flags, 0, label);
            out.writeLong(pn);
            int at = out.writerIndex();
            // Sealed in place, where the packet lies: given input and output in one array at different offsets (two
            // buffers of one pool chunk, the usual case), the JDK would first copy the input into a new array.
            out.writeBytes(plaintext, plaintext.readerIndex(), len);
            Cipher cipher = init(Cipher.ENCRYPT_MODE, type.code, flags, pn);
            cipher.doFinal(out.nioBuffer(at, len), out.nioBuffer(at, len + Sealed.TAG_LENGTH));
            out.writerIndex(at + len + Sealed.TAG_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            out.release();
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Opens the next packet of an ordered stream; returns its plaintext (caller owns it). A packet in a writable heap
     * buffer is opened in place: afterwards it holds its plaintext, not its ciphertext.
     */
    public ByteBuf openInOrder(ByteBufAllocator alloc, ByteBuf packet) throws SessionAuthenticationException {
        if (packet.readableBytes() < Sealed.OVERHEAD) throw new SessionAuthenticationException("sealed packet too short");
        long pn = Sealed.packetNumber(packet);
        if (pn != nextReceive) {
            throw new SessionAuthenticationException("packet number " + pn + " where " + nextReceive + " was due");
        }
        ByteBuf plain = open(alloc, packet, pn);
        nextReceive++;
        return plain;
    }

    /**
     * Opens a datagram (in place, as {@link #openInOrder} does); returns its plaintext (caller owns it), or null for a
     * number seen before or too old to tell,
     * which the caller drops and counts (RFC 4303 §3.4.3 behaviour: a replay is not proof of tampering, since a
     * lossy path may also reorder beyond the window).
     */
    public ByteBuf openDatagram(ByteBufAllocator alloc, ByteBuf packet) throws SessionAuthenticationException {
        if (packet.readableBytes() < Sealed.OVERHEAD) throw new SessionAuthenticationException("sealed packet too short");
        long pn = Sealed.packetNumber(packet);
        if (replay == null) replay = new ReplayWindow();
        if (!replay.mayAccept(pn)) return null;
        ByteBuf plain = open(alloc, packet, pn);
        replay.accept(pn); // only after the tag verified, so forged numbers cannot move the window
        return plain;
    }

    private ByteBuf open(ByteBufAllocator alloc, ByteBuf packet, long pn) throws SessionAuthenticationException {
        if (packet.readableBytes() < Sealed.OVERHEAD) throw new SessionAuthenticationException("sealed packet too short");
        if (Header.version(packet) != Header.VERSION) throw new SessionAuthenticationException("not a v0 packet");
        int ctLen = packet.readableBytes() - Sealed.ciphertextOffset();
        int at = packet.readerIndex() + Sealed.ciphertextOffset();
        // A packet in one heap array is opened where it lies: no output buffer, and none of the copy the JDK makes
        // when input and output share an array with the output after the input (two heap buffers of one pool chunk).
        boolean inPlace = packet.hasArray() && !packet.isReadOnly();
        ByteBuf out = inPlace ? packet.retainedSlice(at, ctLen - Sealed.TAG_LENGTH)
                : alloc.heapBuffer(ctLen - Sealed.TAG_LENGTH); // see HEAP_OUTPUT
        try {
            Cipher cipher = init(Cipher.DECRYPT_MODE, Header.typeCode(packet), Header.flags(packet), pn);
            ByteBuffer dst = inPlace ? packet.nioBuffer(at, ctLen) : out.nioBuffer(0, ctLen - Sealed.TAG_LENGTH);
            cipher.doFinal(packet.nioBuffer(at, ctLen), dst);
            if (!inPlace) out.writerIndex(ctLen - Sealed.TAG_LENGTH);
            return out;
        } catch (AEADBadTagException e) {
            out.release();
            throw new SessionAuthenticationException("packet " + pn + " failed authentication");
        } catch (GeneralSecurityException e) {
            out.release();
            throw new SessionAuthenticationException("packet " + pn + " could not be opened: " + e.getMessage());
        }
    }

    private Cipher init(int mode, int typeCode, int flags, long pn) throws GeneralSecurityException {
        System.arraycopy(iv, 0, nonce, 0, nonce.length);
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (pn >>> (8 * i));
        }
        aad[0] = Header.VERSION;
        aad[1] = (byte) typeCode;
        aad[2] = (byte) flags;
        cipher.init(mode, key, new GCMParameterSpec(Sealed.TAG_LENGTH * 8, nonce));
        cipher.updateAAD(aad);
        return cipher;
    }
}
