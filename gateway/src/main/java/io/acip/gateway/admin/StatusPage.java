package io.acip.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page at {@code GET /}: plain HTML and a script ({@code /status.js}) that reads the admin JSON, shipped
 * in the jar, no build step. Served with a policy that lets it load only itself and talk only to this listener.
 */
final class StatusPage {
    record Resource(String type, String body) {
    }

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final Resource HTML = new Resource("text/html; charset=utf-8", read("status.html"));
    static final Resource SCRIPT = new Resource("text/javascript; charset=utf-8", read("status.js"));

    private StatusPage() {
    }

    private static String read(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
