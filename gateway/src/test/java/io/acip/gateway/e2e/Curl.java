package io.acip.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs /usr/bin/curl, an independent client, and returns what it printed. */
final class Curl {
    record Result(int exit, String out, String err) {
        /** Status line and header fields (from {@code -i} or {@code -D -}), lowercase names. */
        String header(String name) {
            return headerIn(out, name);
        }

        /** What follows the last header block (a CONNECT answer and a 1xx come before the final one). */
        String body() {
            String rest = out;
            int at;
            while (rest.startsWith("HTTP/") && (at = rest.indexOf("\r\n\r\n")) >= 0) rest = rest.substring(at + 4);
            return rest;
        }

        /** The final status (after any CONNECT answer or 1xx). */
        int status() {
            int status = 0;
            for (String line : out.split("\r\n")) {
                if (line.startsWith("HTTP/")) status = Integer.parseInt(line.split(" ")[1]);
            }
            return status;
        }
    }

    private Curl() {
    }

    /** The first {@code name: value} line of {@code text} (header blocks, one field per line), or null. */
    static String headerIn(String text, String name) {
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] errBytes;
        try (var in = p.getInputStream(); var e = p.getErrorStream()) {
            in.transferTo(out);
            errBytes = e.readAllBytes();
        }
        if (!p.waitFor(40, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), new String(errBytes, StandardCharsets.UTF_8));
    }
}
