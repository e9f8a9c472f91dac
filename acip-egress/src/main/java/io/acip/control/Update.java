package io.acip.control;

import io.acip.capsule.VarInt;
import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.OptionalFields;
import io.acip.wire.PacketType;
import io.acip.wire.SkillName;
import io.acip.wire.WireVarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * UPDATE (docs/acip-v0.md §12.3): withdrawals, then announcements. One UPDATE is one packet of at most
 * {@link Limits#MAX_PACKET}; {@link #split} cuts a batch into as many as it takes.
 */
public record Update(List<RouteKey> withdrawals, List<Announcement> announcements) implements ControlMessage {
    /** Longest path vector a node accepts or sends (like MAX_TRAJECTORY). */
    public static final int MAX_PATH = Limits.MAX_TRAJECTORY;
    /** Fixed header plus the two counts at their largest. */
    private static final int OVERHEAD = 8 + 4 + 4;

    public Update {
        withdrawals = List.copyOf(withdrawals);
        announcements = List.copyOf(announcements);
    }

    public boolean isEmpty() {
        return withdrawals.isEmpty() && announcements.isEmpty();
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        int size = OVERHEAD;
        for (RouteKey w : withdrawals) size += size(w);
        for (Announcement a : announcements) size += size(a);
        ByteBuf b = alloc.buffer(size);
        ControlMessage.header(b, PacketType.UPDATE);
        WireVarInt.write(b, withdrawals.size());
        for (RouteKey w : withdrawals) writeKey(b, w);
        WireVarInt.write(b, announcements.size());
        for (Announcement a : announcements) {
            writeKey(b, a.key());
            WireVarInt.write(b, a.path().size());
            for (String node : a.path()) OptionalFields.writeBytes(b, node.getBytes(StandardCharsets.UTF_8));
            WireVarInt.write(b, a.attributes().encodedLength());
            a.attributes().write(b);
        }
        return b;
    }

    /** Cuts withdrawals and announcements into UPDATEs that each fit in {@code maxPacket} bytes. */
    public static List<Update> split(List<RouteKey> withdrawals, List<Announcement> announcements, int maxPacket) {
        List<Update> out = new ArrayList<>();
        List<RouteKey> w = new ArrayList<>();
        List<Announcement> a = new ArrayList<>();
        int size = OVERHEAD;
        for (RouteKey k : withdrawals) {
            if (size + size(k) > maxPacket && !w.isEmpty()) {
                out.add(new Update(w, List.of()));
                w = new ArrayList<>();
                size = OVERHEAD;
            }
            w.add(k);
            size += size(k);
        }
        for (Announcement x : announcements) {
            if (size + size(x) > maxPacket && (!w.isEmpty() || !a.isEmpty())) {
                out.add(new Update(w, a));
                w = new ArrayList<>();
                a = new ArrayList<>();
                size = OVERHEAD;
            }
            a.add(x);
            size += size(x);
        }
        if (!w.isEmpty() || !a.isEmpty()) out.add(new Update(w, a));
        return out;
    }

    static Update decodePayload(ByteBuf p) throws MalformedPacketException {
        long nw = WireVarInt.read(p, "withdrawal count");
        if (nw > p.readableBytes()) throw new MalformedPacketException("withdrawal count " + nw + " overruns the UPDATE");
        List<RouteKey> withdrawals = new ArrayList<>((int) nw);
        for (long i = 0; i < nw; i++) withdrawals.add(readKey(p));
        long na = WireVarInt.read(p, "announcement count");
        if (na > p.readableBytes()) throw new MalformedPacketException("announcement count " + na + " overruns the UPDATE");
        List<Announcement> announcements = new ArrayList<>((int) na);
        for (long i = 0; i < na; i++) {
            RouteKey key = readKey(p);
            long n = WireVarInt.read(p, "path length");
            if (n < 1 || n > MAX_PATH) throw new MalformedPacketException("path of " + n + " nodes, not 1.." + MAX_PATH);
            List<String> path = new ArrayList<>((int) n);
            for (long j = 0; j < n; j++) {
                String node = OptionalFields.readString(p, "path node ID");
                if (node.isEmpty()) throw new MalformedPacketException("empty node ID in a path");
                path.add(node);
            }
            long len = WireVarInt.read(p, "attributes length");
            if (len > Limits.MAX_METADATA) throw new MalformedPacketException("attributes longer than " + Limits.MAX_METADATA);
            announcements.add(new Announcement(key, path, Metadata.read(p, (int) len)));
        }
        if (p.isReadable()) throw new MalformedPacketException("UPDATE with " + p.readableBytes() + " bytes after its fields");
        return new Update(withdrawals, announcements);
    }

    private static RouteKey readKey(ByteBuf p) throws MalformedPacketException {
        long tenant = WireVarInt.read(p, "tenant");
        return new RouteKey(tenant, SkillName.parse(OptionalFields.readString(p, "prefix")));
    }

    private static void writeKey(ByteBuf b, RouteKey k) {
        WireVarInt.write(b, k.tenant());
        OptionalFields.writeBytes(b, k.prefix().value().getBytes(StandardCharsets.UTF_8));
    }

    private static int size(RouteKey k) {
        int n = k.prefix().value().getBytes(StandardCharsets.UTF_8).length;
        return VarInt.length(k.tenant()) + VarInt.length(n) + n;
    }

    /** The bytes {@code a} takes in an UPDATE. */
    static int size(Announcement a) {
        int s = size(a.key()) + 1;
        for (String node : a.path()) {
            int n = node.getBytes(StandardCharsets.UTF_8).length;
            s += VarInt.length(n) + n;
        }
        int attrs = a.attributes().encodedLength();
        return s + VarInt.length(attrs) + attrs;
    }
}
