package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.ConnectRequest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An independent HTTP/2 peer: python-h2, which sends SETTINGS_ENABLE_CONNECT_PROTOCOL = 0 of itself, opens
 * CONNECT-UDP by extended CONNECT (h2c and h2) and round-trips DATAGRAM capsules. CI installs python3-h2
 * ({@code .ci/run}); Debian's {@code /usr/bin/python3} is the interpreter that sees it.
 */
@SuppressWarnings("try") // MasqueClient.close() throws Exception, as the fixed interface declares
class ConnectUdpPythonTest extends UdpFixture {
    private static final String PYTHON = "/usr/bin/python3";

    @ParameterizedTest(name = "{0}, settings {1}")
    @CsvSource({"cleartext, default", "cleartext, resend", "tls, default", "tls, resend"})
    void pythonH2RoundTripsDatagrams(String transport, String settings) throws Exception {
        Path script = Path.of(getClass().getResource("/masque/h2_connect_udp.py").toURI());
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "127.0.0.1"));
        if (transport.equals("tls")) {
            command.addAll(List.of(String.valueOf(server.tlsPort()), "tls", TestPki.caPem().toString()));
        } else {
            command.addAll(List.of(String.valueOf(server.cleartextPort()), "cleartext"));
        }
        command.addAll(List.of(settings, authority(), path("2001%3Adb8%3A%3A7", 4433)));
        Process python = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean exited = python.waitFor(60, TimeUnit.SECONDS);
        if (!exited) python.destroyForcibly();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "python-h2 did not finish: " + output);
        assertEquals(0, python.exitValue(), output);
        assertTrue(output.contains("OK"), output);

        UdpEchoHandler.Accepted seen = handler.next();
        ConnectRequest request = seen.flow.request();
        assertEquals("2001:db8::7", request.host());
        assertEquals(4433, request.port());
        assertEquals("HTTP/2", seen.flow.httpVersion());
        assertEquals(2, seen.received.size());
        assertEquals(Optional.empty(), seen.awaitClosed(), "python-h2 ended the stream cleanly");
    }
}
