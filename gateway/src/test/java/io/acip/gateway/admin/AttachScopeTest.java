package io.acip.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.CheckedAddresses;
import io.acip.gateway.attach.RegistrationDocument;
import io.acip.gateway.attach.UdpEndpoint;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** admin.attach_allowed checks each name once, and what it checked is what the gateway connects to. */
class AttachScopeTest {
    private static AgentRegistration registration(String json) throws Exception {
        return RegistrationDocument.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A name that answers loopback to the check and an inward address after (DNS rebinding). */
    @Test
    void theAddressesCheckedAreTheOnesKeptAndEachNameIsLookedUpOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AttachScope scope = new AttachScope(List.of("127.0.0.0/8"), host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.7" : "10.0.0.1")});
        CheckedAddresses checked = scope.check(registration("{\"agent\":\"a\",\"origin\":\"http://rebind.example:8080\","
                + "\"udp\":\"rebind.example:4433\",\"skills\":[{\"name\":\"rt/a\",\"udp\":\"rebind.example:53\"}]}"));
        assertEquals(1, lookups.get());
        assertEquals(List.of(InetAddress.getByName("127.0.0.7")), checked.of("rebind.example"));
        assertEquals(new UdpEndpoint("127.0.0.7", 4433), checked.pin(new UdpEndpoint("rebind.example", 4433)));
        // The next registration's lookup answers inward: refused, whatever the earlier one said.
        AttachRefusedException e = assertThrows(AttachRefusedException.class, () -> scope.check(registration(
                "{\"agent\":\"b\",\"origin\":\"http://rebind.example\",\"skills\":[{\"name\":\"rt/b\"}]}")));
        assertEquals(403, e.status());
        assertEquals("10.0.0.1", e.members().get("address"));
    }

    @Test
    void anIpv6LiteralIsKeptWithoutBrackets() throws Exception {
        AttachScope scope = new AttachScope(List.of("::1/128"));
        CheckedAddresses checked = scope.check(registration(
                "{\"agent\":\"a\",\"origin\":\"http://[::1]:8080\",\"skills\":[{\"name\":\"rt/a\"}]}"));
        assertEquals(List.of(InetAddress.getByName("::1")), checked.of("[::1]"));
    }
}
