package io.acip.bench;

import io.acip.bench.fabric.AcipChain;
import io.acip.bench.fabric.MeasuredPath;
import io.acip.bench.fabric.Measurement;
import io.acip.bench.fabric.RawQuicPair;
import io.acip.link.LinkConfig;
import io.acip.tls.FabricCa;
import io.acip.wire.Limits;
import io.acip.wire.Sealed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fabric throughput on loopback, in one run: the bare Netty QUIC ceiling with the links' settings, then ACIP
 * sessions over 2 nodes (edge, far) and 3 nodes (edge, transit, far), each as bulk stream MB/s and DGRAM
 * packets/s with loss. Prints one table, every ACIP figure also as a share of the ceiling measured in the same run,
 * with what explains it (sender paused by backpressure, bytes piled up on the path, kernel UDP drops, busiest
 * threads) and notes on anything the nodes counted as going wrong. Each measurement gets fresh endpoints.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.acip.bench.FabricThroughput [--duration 5] [--warmup 2]
 *     [--payload 1200] [--chunk 16384] [--socket-buffer 4194304]</pre>
 */
public final class FabricThroughput {
    /** Kept referenced: java.util.logging holds loggers weakly, and a collected one forgets its level. */

    private record Options(Duration duration, Duration warmup, int payload, int chunk, int socketBuffer) {
        static Options parse(String[] args) {
            int duration = 5;
            int warmup = 2;
            int payload = 1200;
            int chunk = 16 * 1024;
            int socketBuffer = 4 << 20;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> duration = Harness.positive(args[i], value);
                    case "--warmup" -> warmup = Harness.positive(args[i], value);
                    case "--payload" -> payload = Harness.positive(args[i], value);
                    case "--chunk" -> chunk = Harness.positive(args[i], value);
                    case "--socket-buffer" -> socketBuffer = value != null && value.equals("0") ? 0
                            : Harness.positive(args[i], value);
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            // A DGRAM carries the payload sealed, in a QUIC DATAGRAM frame of a 1700-byte UDP payload at most; 100
            // bytes is a generous allowance for QUIC's own headers (a node counts what is still too big as dropped).
            int maxPayload = LinkConfig.DEFAULT.maxUdpPayload() - 100 - Sealed.OVERHEAD;
            if (payload > maxPayload) throw new IllegalArgumentException("--payload over " + maxPayload);
            if (chunk > Limits.MAX_DATA_PLAINTEXT) {
                throw new IllegalArgumentException("--chunk over " + Limits.MAX_DATA_PLAINTEXT + " (one DATA packet)");
            }
            return new Options(Duration.ofSeconds(duration), Duration.ofSeconds(warmup), payload, chunk,
                    socketBuffer);
        }
    }

    /**
     * What a stream sender may legitimately be ahead of its receiver with OS-default socket buffers: per hop the
     * stream's flow-control window (1 MiB), the link stream's high water mark, a session's hold limit and a relay
     * between event loops (256 KiB each), with room to spare. Above this (plus the socket buffers where they were enlarged), data is piling up in
     * a buffer nothing bounds.
     */
    private static final long BACKLOG_LIMIT = 8_000_000;

    /** @param socketBuffer UDP socket buffer size the path was given (summed over its links), 0 for the OS default */
    private record Row(String path, String mode, Measurement m, boolean bytes, double ceiling, int socketBuffer) {
        Row(String path, String mode, Measurement m, boolean bytes, double ceiling) {
            this(path, mode, m, bytes, ceiling, 0);
        }

        long backlogLimit() {
            return BACKLOG_LIMIT + 4L * socketBuffer;
        }
    }

    private FabricThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Harness.optionsOrExit(args, Options::parse, "usage: FabricThroughput [--duration s (5)]"
                + " [--warmup s (2)] [--payload dgram bytes (1200)] [--chunk stream write bytes (16384)]"
                + " [--socket-buffer bytes for the extra raw QUIC rows, 0 for none (4194304)]");
        Harness.quiet("io.acip");
        Harness.startWatchdog("FabricThroughput", Duration.ofSeconds(8 * (o.duration.toSeconds() + o.warmup.toSeconds() + 5) + 30));

        ByteBuf chunk = randomDirect(o.chunk);
        ByteBuf payload = randomDirect(o.payload);
        FabricCa ca = FabricCa.generate("bench fabric");
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            Measurement rawStream = measure("raw QUIC", true, () -> RawQuicPair.start(ca, LinkConfig.DEFAULT, 0),
                    chunk, o, notes);
            Measurement rawDgram = measure("raw QUIC", false, () -> RawQuicPair.start(ca, LinkConfig.DEFAULT, 0),
                    payload, o, notes);
            rows.add(new Row("raw QUIC", "stream", rawStream, true, rawStream.rate()));
            rows.add(new Row("raw QUIC", "dgram", rawDgram, false, rawDgram.rate()));
            if (o.socketBuffer > 0) {
                // Not a ceiling for the nodes: shows what buffer drops cost the bare transport.
                String path = "raw QUIC " + (o.socketBuffer % (1 << 20) == 0 ? (o.socketBuffer >> 20) + "M"
                        : o.socketBuffer + "B") + " buf";
                PathStarter big = () -> RawQuicPair.start(ca, LinkConfig.DEFAULT, o.socketBuffer);
                rows.add(new Row(path, "stream", measure(path, true, big, chunk, o, notes), true, rawStream.rate(),
                        o.socketBuffer));
                rows.add(new Row(path, "dgram", measure(path, false, big, payload, o, notes), false,
                        rawDgram.rate(), o.socketBuffer));
            }
            for (int length : new int[] {2, 3}) {
                String path = "ACIP " + length + " nodes";
                PathStarter chain = () -> AcipChain.start(ca, length, length + "n");
                // Nodes ask for LinkConfig's socket buffers (4 MiB, as far as the OS grants): on each link, data may
                // wait in them too.
                int linkBuffers = (length - 1) * LinkConfig.DEFAULT.socketBuffer();
                rows.add(new Row(path, "stream", measure(path, true, chain, chunk, o, notes), true, rawStream.rate(),
                        linkBuffers));
                rows.add(new Row(path, "dgram", measure(path, false, chain, payload, o, notes), false,
                        rawDgram.rate()));
            }
        } finally {
            chunk.release();
            payload.release();
        }
        print(o, rows, notes);
        System.exit(0);
    }

    private interface PathStarter {
        MeasuredPath start() throws Exception;
    }

    /** One measurement on a path of its own, so no congestion state carries over from the previous one. */
    private static Measurement measure(String path, boolean stream, PathStarter starter, ByteBuf unit, Options o,
                                       List<String> notes) throws Exception {
        String mode = stream ? "stream" : "dgram";
        progress(path + ": " + mode);
        try (MeasuredPath p = starter.start()) {
            Measurement m = stream ? p.stream(unit, o.warmup, o.duration) : p.datagrams(unit, o.warmup, o.duration);
            p.notes().forEach(n -> notes.add(path + " " + mode + ": " + n));
            return m;
        }
    }

    private static void print(Options o, List<Row> rows, List<String> notes) {
        System.out.printf(Locale.ROOT, "%nFabricThroughput: loopback, %d CPUs, %d s per measurement after %d s warm-up,"
                        + " stream writes of %d B, datagram payloads of %d B (MB = 10^6 bytes)%n",
                Runtime.getRuntime().availableProcessors(), o.duration.toSeconds(), o.warmup.toSeconds(), o.chunk,
                o.payload);
        System.out.printf(Locale.ROOT, "%-17s %-6s %14s %7s %14s %6s %6s %8s %10s  %s%n", "path", "mode",
                "received", "vs raw", "offered", "loss", "paused", "backlog", "udp drop/s",
                "busiest threads (% of one core)");
        for (Row r : rows) {
            Measurement m = r.m;
            String rate = r.bytes ? String.format(Locale.ROOT, "%.1f MB/s", m.rate() / 1e6)
                    : String.format(Locale.ROOT, "%.0f pkt/s", m.rate());
            String offered = r.bytes ? String.format(Locale.ROOT, "%.1f MB/s", m.sent() / m.seconds() / 1e6)
                    : String.format(Locale.ROOT, "%.0f pkt/s", m.sent() / m.seconds());
            String loss = r.bytes ? "-" : String.format(Locale.ROOT, "%.1f%%", m.lossPercent());
            String drops = m.udpDrops() < 0 ? "?" : String.format(Locale.ROOT, "%.0f", m.udpDrops() / m.seconds());
            String backlog = r.bytes ? String.format(Locale.ROOT, "%.1f MB", m.maxBacklog() / 1e6) : "-";
            System.out.printf(Locale.ROOT, "%-17s %-6s %14s %6.0f%% %14s %6s %5.0f%% %8s %10s  %s%n", r.path, r.mode,
                    rate, 100 * m.rate() / r.ceiling, offered, loss, m.pausedPercent(), backlog, drops,
                    m.busiestThreads());
            if (r.bytes && m.maxBacklog() > r.backlogLimit()) {
                notes.add(String.format(Locale.ROOT, "%s %s: backpressure did not hold: the sender got %.0f MB ahead"
                        + " of the receiver (windows and buffers on the path account for %.0f MB at most)", r.path,
                        r.mode, m.maxBacklog() / 1e6, r.backlogLimit() / 1e6));
            }
        }
        System.out.println("received: what the receiving application counted; vs raw: share of the raw QUIC row (same"
                + " mode, OS buffers); offered: what the sender handed over; loss: offered but never received;"
                + " paused: share of time the sender waited on backpressure; backlog: most the sender was ahead of the"
                + " receiver; udp drop/s: kernel socket-buffer drops, machine-wide.");
        if (!notes.isEmpty()) {
            System.out.println("Notes:");
            notes.forEach(n -> System.out.println("  " + n));
        }
    }

    private static ByteBuf randomDirect(int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes);
        return Unpooled.directBuffer(size).writeBytes(bytes);
    }

    private static void progress(String what) {
        System.err.println("measuring " + what + " ...");
    }
}
