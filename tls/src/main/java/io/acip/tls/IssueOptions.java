package io.acip.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Extra subjectAltNames for a node or skill certificate, beyond its {@code acip://} URI. Fabric peers authenticate
 * each other by URI; host names and addresses are only for peers that also check the name they dialled (a test on
 * loopback, or a node reached through a plain TLS client).
 */
public record IssueOptions(List<String> dnsNames, List<InetAddress> ipAddresses) {
    /** The URI alone. */
    public static final IssueOptions NONE = new IssueOptions(List.of(), List.of());

    /** {@code localhost}, {@code 127.0.0.1} and {@code ::1}: for nodes that run on one machine. */
    public static final IssueOptions LOOPBACK = new IssueOptions(List.of("localhost"), List.of(
            address(new byte[] {127, 0, 0, 1}),
            address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})));

    public IssueOptions {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // no lookup: a literal address
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
