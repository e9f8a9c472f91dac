package io.acip.node;

import io.acip.seal.PacketProtection;
import io.acip.seal.SessionAuthenticationException;
import io.acip.wire.Flags;
import io.acip.wire.Header;
import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.PacketType;
import io.acip.wire.Packets;
import io.acip.wire.Reset;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A session endpoint on this node, as its application sees it: write plaintext or datagrams, get the peer's through
 * a {@link SessionHandler}. The node pairs it with a leg toward the peer (a link stream, or another endpoint on this
 * node) and all protection happens here, so nothing between the endpoints can read or alter the payload. Methods
 * may be called from any thread; they run on the session's event loop, one of the node's.
 */
public final class Session extends Leg {
    /** Plaintext held for an application that paused reading before the peer is told to pause too. */
    private static final int HOLD_LIMIT = 256 * 1024;

    enum State { SETTING_UP, OPEN, DONE }

    final Node node;
    final boolean initiator;
    final boolean datagramMode;
    final SkillName responder;
    /** When {@link Node#open} was called: session setup time is measured from here. */
    long openedAskedNanos;
    SessionHandler handler;
    /** The initiator's request, handshake and SETUP, kept until SETUP_ACK arrives (a refused resumption retries). */
    SessionRequest request;
    SessionHandshake handshake;
    io.acip.wire.Setup setupSent;
    /** The initiator's setup timeout, cancelled once the session is open or over. */
    io.netty.util.concurrent.ScheduledFuture<?> setupTimer;
    State state = State.SETTING_UP;
    PacketProtection sealer;
    PacketProtection opener;
    List<String> trajectory = List.of();
    String selectedInstance = "";
    /** The SETUP_ACK as the initiator received it; empty at a responder. */
    io.acip.wire.Metadata setupAck = io.acip.wire.Metadata.EMPTY;
    private boolean finSent;
    private boolean finReceived;
    private boolean readPaused;
    private boolean announced;
    private boolean writePaused;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private int heldBytes;

    Session(Node node, EventLoop loop, boolean initiator, boolean datagramMode, SkillName responder,
            SessionHandler handler) {
        super(loop);
        this.node = node;
        this.initiator = initiator;
        this.datagramMode = datagramMode;
        this.responder = responder;
        this.handler = handler;
    }

    // ---- application side ----

    /** Sends {@code data} (ownership passes to the session) as DATA packets; {@code fin} ends this direction. */
    public void write(ByteBuf data, boolean fin) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> write(data, fin));
            return;
        }
        try {
            if (state != State.OPEN || finSent || datagramMode) return;
            do {
                ByteBuf chunk = data.readSlice(Math.min(data.readableBytes(), Limits.MAX_DATA_PLAINTEXT));
                boolean last = fin && !data.isReadable();
                // Before forwarding: a peer on this node may answer, FIN and CLOSE within this very call, and the
                // CLOSE is clean only if this end's FIN counts as sent by then.
                if (last) finSent = true;
                node.forward(this, sealer.seal(node.alloc(), PacketType.DATA, last ? Flags.FIN : 0, 0, chunk));
            } while (data.isReadable() && state == State.OPEN);
            if (finSent) closeIfDone();
        } finally {
            data.release();
        }
    }

    /** Sends one datagram (ownership passes to the session); it may be lost. */
    public void writeDatagram(ByteBuf payload) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> writeDatagram(payload));
            return;
        }
        try {
            if (state != State.OPEN || !datagramMode) return;
            if (payload.readableBytes() > Limits.MAX_DATA_PLAINTEXT) {
                node.stats.inc("acip.dgram.dropped.too_big");
                return;
            }
            ByteBuf packet = sealer.seal(node.alloc(), PacketType.DGRAM, 0, 0, payload);
            touch();
            if (peer == null || peer.finished) {
                packet.release();
            } else {
                peer.transmitDatagram(packet);
            }
        } finally {
            payload.release();
        }
    }

    /** Aborts the session; the peer gets RESET with this code and detail. */
    public void reset(ResetCode code, String detail) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> reset(code, detail));
            return;
        }
        if (state == State.DONE) return;
        node.abort(this, code, detail);
    }

    /** Pauses or resumes delivery of the peer's data; paused long enough, the peer is slowed down hop by hop. */
    public void setReadable(boolean readable) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> setReadable(readable));
            return;
        }
        if (readPaused == !readable) return;
        readPaused = !readable;
        if (!readPaused) drain();
    }

    /** Delivers held packets while the application reads; tells the peer to resume once the hold is small. */
    private void drain() {
        while (!held.isEmpty() && !readPaused && announced && state != State.DONE) {
            ByteBuf p = held.poll();
            heldBytes -= p.readableBytes();
            receive(p);
        }
        if (heldBytes < HOLD_LIMIT && state != State.DONE) writabilityChanged(true);
    }

    /** Whether the path toward the peer takes more data now; see {@link SessionHandler#onWritabilityChanged}. */
    public boolean isWritableByApplication() {
        return state == State.OPEN && !writePaused;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public boolean isDatagramMode() {
        return datagramMode;
    }

    public SkillName responder() {
        return responder;
    }

    /** Node IDs from the initiator's node to the responder's, known once open. */
    public List<String> trajectory() {
        return trajectory;
    }

    public String selectedInstance() {
        return selectedInstance;
    }

    /** The responder's SETUP_ACK metadata, at the initiator once open (what the responder accepted, §13.1). */
    public io.acip.wire.Metadata setupAck() {
        return setupAck;
    }

    /** Open and not yet ended: packets can still flow. */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** The loop this session runs on: its handler hears everything there. */
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    boolean localInitiator() {
        return initiator;
    }

    // ---- leg side: packets from the peer leg ----

    @Override
    void transmit(ByteBuf packet) {
        // Until the application heard onOpen, and while it is paused, everything but RESET waits in order, so
        // neither data nor a CLOSE reaches it early or overtakes the data before it.
        if ((!announced || readPaused || !held.isEmpty()) && Header.typeCode(packet) != PacketType.RESET.code) {
            held.add(packet);
            heldBytes += packet.readableBytes();
            if (heldBytes >= HOLD_LIMIT) writabilityChanged(false);
            return;
        }
        receive(packet);
    }

    private void receive(ByteBuf packet) {
        try {
            PacketType type = PacketType.of(Header.typeCode(packet));
            switch (type) {
                case DATA -> receiveData(packet);
                case RESET -> {
                    Reset r = Reset.decode(packet);
                    if (node.retryWithoutTicket(this, r.code())) return;
                    end();
                    handler.onReset(this, r.code(), r.detail());
                }
                case CLOSE -> {
                    boolean clean = finSent && finReceived;
                    end();
                    if (clean) {
                        handler.onClose(this);
                    } else {
                        handler.onReset(this, ResetCode.CANCELLED, "peer closed before both directions finished");
                    }
                }
                case PING -> {
                    if ((Header.flags(packet) & Flags.PONG) == 0) {
                        node.forward(this, Packets.ping(node.alloc(), 0, true, Packets.pingOpaque(packet)));
                    }
                }
                default -> node.abort(this, ResetCode.PROTOCOL_VIOLATION, type + " on an established session");
            }
        } catch (MalformedPacketException e) {
            node.abort(this, ResetCode.PROTOCOL_VIOLATION, e.getMessage());
        } catch (SessionAuthenticationException e) {
            node.stats.inc("acip.session.auth_failed");
            node.abort(this, ResetCode.AUTHENTICATION_FAILED, e.getMessage());
        } finally {
            packet.release();
        }
    }

    private void receiveData(ByteBuf packet) throws SessionAuthenticationException, MalformedPacketException {
        if (state != State.OPEN || finReceived || datagramMode) {
            throw new MalformedPacketException("DATA " + (finReceived ? "after FIN" : "before the session is open"));
        }
        io.acip.wire.Sealed.validate(packet);
        ByteBuf plain = opener.openInOrder(node.alloc(), packet);
        boolean fin = (Header.flags(packet) & Flags.FIN) != 0;
        try {
            finReceived = fin;
            handler.onData(this, plain, fin);
        } finally {
            plain.release();
        }
        if (fin) closeIfDone();
    }

    @Override
    void transmitDatagram(ByteBuf packet) {
        try {
            if (state != State.OPEN || !datagramMode) {
                node.stats.inc("acip.dgram.dropped.not_open");
                return;
            }
            io.acip.wire.Sealed.validate(packet);
            ByteBuf plain = opener.openDatagram(node.alloc(), packet);
            if (plain == null) {
                node.stats.inc("acip.dgram.dropped.replay");
                return;
            }
            try {
                handler.onDatagram(this, plain);
            } finally {
                plain.release();
            }
        } catch (MalformedPacketException e) {
            node.stats.inc("acip.dgram.dropped.malformed");
        } catch (SessionAuthenticationException e) {
            node.stats.inc("acip.session.auth_failed");
            node.abort(this, ResetCode.AUTHENTICATION_FAILED, e.getMessage());
        } finally {
            packet.release();
        }
    }

    /** The responder ends the session once both directions are finished (docs/acip-v0.md §6.3). */
    private void closeIfDone() {
        if (initiator || !finSent || !finReceived || state != State.OPEN) return;
        node.finish(this, Packets.close(node.alloc(), 0)); // ends the leg toward the initiator too
        handler.onClose(this);
    }

    private void end() {
        state = State.DONE;
        node.terminate(this);
    }

    @Override
    boolean isWritable() {
        return heldBytes < HOLD_LIMIT;
    }

    @Override
    void setInputPaused(boolean paused) {
        if (writePaused == paused) return;
        writePaused = paused;
        if (announced && state == State.OPEN) handler.onWritabilityChanged(this, !paused);
    }

    /** The handshake completed: what only the set-up needed goes (about 600 bytes, and the timer's hold). */
    void setUpDone() {
        request = null;
        handshake = null;
        setupSent = null;
        if (setupTimer != null) {
            setupTimer.cancel(false);
            setupTimer = null;
        }
    }

    @Override
    void release() {
        if (setupTimer != null) setupTimer.cancel(false);
        state = State.DONE;
        held.forEach(ByteBuf::release);
        held.clear();
        heldBytes = 0;
    }

    @Override
    String describe() {
        return (initiator ? "initiator" : "responder") + " of " + responder;
    }

    /**
     * Called by the node when the handshake completed: the session is open. The application hears of it in
     * {@link #announce}, which a responder's node calls only after its SETUP_ACK left, so nothing the application
     * writes from {@code onOpen} can overtake it.
     */
    void opened(PacketProtection sealer, PacketProtection opener, List<String> trajectory, String instance) {
        this.sealer = sealer;
        this.opener = opener;
        this.trajectory = List.copyOf(trajectory);
        this.selectedInstance = instance;
        this.state = State.OPEN;
    }

    /** Tells the application the session is open, then hands it what arrived meanwhile. */
    void announce() {
        if (state != State.OPEN || announced) return;
        announced = true;
        handler.onOpen(this);
        drain();
    }
}
