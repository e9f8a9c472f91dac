package io.acip.control;

import io.acip.wire.Flags;
import io.acip.wire.Header;
import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.PacketType;
import io.acip.wire.Packets;
import io.acip.wire.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One control channel with a neighbour (docs/acip-v0.md §12): the OPEN exchange, the hold timer and keep-alive
 * PINGs, and what this node has announced to the neighbour (so that it sends only changes), batched at most once
 * per update interval. Confined to the node's event loop.
 */
public final class NeighbourSession {
    private static final Logger LOG = Logger.getLogger(NeighbourSession.class.getName());

    enum State { OPENING, ESTABLISHED, CLOSED }

    private final ControlPlane plane;
    private final ControlChannel channel;
    final String peer;
    final BorderPolicy border;
    State state = State.OPENING;
    private boolean openSent;
    private long holdMs;
    private long lastHeardNanos = System.nanoTime();
    private ScheduledFuture<?> keepAlive;
    /** What the neighbour has from us, by key: the routes as we last announced them. */
    private final Map<RouteKey, Announcement> announced = new HashMap<>();
    private final Set<RouteKey> dirty = new LinkedHashSet<>();
    private ScheduledFuture<?> flushTimer;
    private long lastFlushNanos;

    NeighbourSession(ControlPlane plane, ControlChannel channel, BorderPolicy border) {
        this.plane = plane;
        this.channel = channel;
        this.peer = channel.peerNodeId();
        this.border = border;
    }

    String diallerNodeId() {
        return channel.diallerNodeId(plane.self);
    }

    void start() {
        if (channel.dialler()) sendOpen();
    }

    /** A packet from the channel. Takes ownership. */
    public void onPacket(ByteBuf packet) {
        try {
            if (state == State.CLOSED) return;
            lastHeardNanos = System.nanoTime();
            ControlMessage m;
            try {
                PacketType type = Header.validate(packet);
                if (type == PacketType.RESET && state == State.OPENING) { // a node that predates §12 (§12.1)
                    plane.count("acip.control.refused");
                    end();
                    return;
                }
                if (type == PacketType.PING && Header.label(packet) == 0) {
                    long opaque = Packets.pingOpaque(packet);
                    if ((Header.flags(packet) & Flags.PONG) == 0) channel.send(Packets.ping(alloc(), 0, true, opaque));
                    return;
                }
                m = ControlMessage.decode(packet);
            } catch (MalformedPacketException e) {
                close(NotificationCode.MALFORMED_MESSAGE, e.getMessage());
                return;
            }
            if (m instanceof Open o) {
                onOpen(o);
            } else if (m instanceof Update u) {
                if (state != State.ESTABLISHED) {
                    close(NotificationCode.UNEXPECTED_MESSAGE, "UPDATE before OPEN");
                } else {
                    plane.onUpdate(this, u);
                }
            } else if (m instanceof Notification n) {
                plane.count("acip.control.notification.received." + n.code().token());
                LOG.info(() -> "node " + plane.self + ": " + peer + " ended the control channel: " + n.code().token()
                        + " " + n.detail());
                end();
            }
        } finally {
            packet.release();
        }
    }

    private void onOpen(Open o) {
        if (state != State.OPENING) {
            close(NotificationCode.UNEXPECTED_MESSAGE, "a second OPEN");
            return;
        }
        if (!o.nodeId().equals(peer)) {
            close(NotificationCode.BAD_OPEN, "OPEN names " + o.nodeId() + " but the link certificate " + peer);
            return;
        }
        if (o.holdTimeMs() != 0 && o.holdTimeMs() < Open.MIN_HOLD_MS) {
            close(NotificationCode.BAD_OPEN, "hold time " + o.holdTimeMs() + " ms, not 0 or at least 1000");
            return;
        }
        long unknown = o.unknownMustUnderstand();
        if (unknown >= 0) {
            close(NotificationCode.UNSUPPORTED_CAPABILITY, "capability 0x" + Long.toHexString(unknown));
            return;
        }
        if (!openSent) sendOpen();
        long own = plane.config.holdTime().toMillis();
        holdMs = own == 0 || o.holdTimeMs() == 0 ? 0 : Math.min(own, o.holdTimeMs());
        state = State.ESTABLISHED;
        if (!plane.established(this)) return;
        if (holdMs > 0) {
            keepAlive = plane.loop.scheduleAtFixedRate(this::keepAlive, holdMs / 3, holdMs / 3, TimeUnit.MILLISECONDS);
        }
        dirty.addAll(plane.rib.keys());
        flush(); // the whole table at once
    }

    private void sendOpen() {
        openSent = true;
        List<Tlv> caps = List.of(Tlv.ofVarInt(Open.MAX_PREFIXES, border.maxPrefixes()));
        channel.send(new Open(plane.self, plane.config.holdTime().toMillis(), new Metadata(caps)).encode(alloc()));
    }

    private void keepAlive() {
        if (state != State.ESTABLISHED) return;
        if (System.nanoTime() - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(holdMs)) {
            close(NotificationCode.HOLD_TIMER_EXPIRED, "nothing from " + peer + " for " + holdMs + " ms");
            return;
        }
        channel.send(Packets.ping(alloc(), 0, false, System.nanoTime()));
    }

    /**
     * {@code key}'s best route may have changed: it goes out with the next batch. A withdrawal goes without waiting
     * for the update interval (a route that is gone must stop drawing sessions at once).
     */
    void markDirty(RouteKey key, boolean urgent) {
        if (state != State.ESTABLISHED) return;
        dirty.add(key);
        long wait = urgent ? 0 : Math.max(0, lastFlushNanos + plane.config.updateInterval().toNanos() - System.nanoTime());
        if (flushTimer != null && !flushTimer.isDone()) {
            if (flushTimer.getDelay(TimeUnit.NANOSECONDS) <= wait) return; // already due soon enough
            flushTimer.cancel(false);
        }
        flushTimer = plane.loop.schedule(this::flush, wait, TimeUnit.NANOSECONDS); // after this task: batched
    }

    /** Sends the net change of every dirty key, in as few UPDATEs as fit. */
    private void flush() {
        if (state != State.ESTABLISHED || dirty.isEmpty()) return;
        if (flushTimer != null) flushTimer.cancel(false);
        flushTimer = null;
        lastFlushNanos = System.nanoTime();
        List<RouteKey> withdrawals = new ArrayList<>();
        List<Announcement> announcements = new ArrayList<>();
        for (RouteKey key : dirty) {
            Optional<Announcement> want = exportable(key);
            Announcement had = announced.get(key);
            if (want.isPresent()) {
                Announcement a = want.get();
                if (had != null && had.path().equals(a.path()) && Rib.sameAttributes(had, a)) continue;
                announced.put(key, a);
                announcements.add(a);
            } else if (had != null) {
                announced.remove(key);
                withdrawals.add(key);
            }
        }
        dirty.clear();
        for (Update u : Update.split(withdrawals, announcements, Limits.MAX_PACKET)) {
            plane.count("acip.control.update.sent");
            channel.send(u.encode(alloc()));
        }
    }

    /** The route this neighbour gets for {@code key}: not one through itself, and only what the border exports. */
    private Optional<Announcement> exportable(RouteKey key) {
        if (!border.exportFilter().admits(key)) return Optional.empty();
        return plane.rib.export(key).filter(a -> !a.path().contains(peer));
    }

    /** Ends the channel with a reason: NOTIFICATION, FIN, and every route learned on it withdrawn. */
    void close(NotificationCode code, String detail) {
        if (state == State.CLOSED) return;
        plane.count("acip.control.notification.sent." + code.token());
        LOG.info(() -> "node " + plane.self + ": ending the control channel with " + peer + ": " + code.token() + " "
                + detail);
        channel.send(new Notification(code, detail).encode(alloc()));
        end();
    }

    /** The channel's stream broke the framing (a length over MAX_PACKET, say): ended as malformed. */
    public void fail(String detail) {
        close(NotificationCode.MALFORMED_MESSAGE, detail);
    }

    /** The stream or its link ended under the channel. */
    public void onChannelClosed() {
        if (state == State.CLOSED) return;
        plane.count("acip.control.channel.lost");
        end();
    }

    private void end() {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        if (keepAlive != null) keepAlive.cancel(false);
        if (flushTimer != null) flushTimer.cancel(false);
        channel.finish();
        plane.sessionClosed(this);
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    private ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public String toString() {
        return "control channel " + plane.self + "-" + peer;
    }
}
