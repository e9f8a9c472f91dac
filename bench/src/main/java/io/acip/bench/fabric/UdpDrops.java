package io.acip.bench.fabric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of UDP datagrams dropped for want of socket buffer space (Linux {@code /proc/net/snmp},
 * RcvbufErrors plus SndbufErrors), machine-wide. On loopback nothing else loses packets, so this is the loss
 * QUIC's congestion control reacts to.
 */
public final class UdpDrops {
    private static final Path SNMP = Path.of("/proc/net/snmp");

    private UdpDrops() {
    }

    /** The current count, or -1 where the kernel does not say. */
    public static long now() {
        try {
            List<String> lines = Files.readAllLines(SNMP);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (!lines.get(i).startsWith("Udp:") || !lines.get(i + 1).startsWith("Udp:")) continue;
                List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                String[] values = lines.get(i + 1).trim().split("\\s+");
                return Long.parseLong(values[names.indexOf("RcvbufErrors")])
                        + Long.parseLong(values[names.indexOf("SndbufErrors")]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a layout this does not know: no figure rather than a wrong one
        }
        return -1;
    }
}
