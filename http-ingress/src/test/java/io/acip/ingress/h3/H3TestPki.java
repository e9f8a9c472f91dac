package io.acip.ingress.h3;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** One test CA for the HTTP/3 tests: the listener's EC certificate chains to it. */
final class H3TestPki {
    static final FabricCa CA = FabricCa.generate("acip-h3-test-ca");
    static final IssuedIdentity SERVER = CA.issueServer(List.of("localhost"),
            List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));

    private H3TestPki() {
    }
}
