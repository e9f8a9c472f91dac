package io.acip.ingress.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs /usr/bin/curl, an independent client, and reads back its exit code, final response head and body. */
final class Curl {
    private Curl() {
    }

    record Result(int exit, String head, String body, String stderr) {
        /** Status of the final response (after any 1xx or 101). */
        int status() {
            String line = head.lines().filter(l -> l.startsWith("HTTP/")).reduce((a, b) -> b).orElse("");
            String[] parts = line.split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }

        /** The final response's status line. */
        String statusLine() {
            return head.lines().filter(l -> l.startsWith("HTTP/")).reduce((a, b) -> b).orElse("");
        }

        /** A header of the final response. */
        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            List<String> finalHead = new ArrayList<>();
            for (String line : head.lines().toList()) {
                if (line.startsWith("HTTP/")) finalHead.clear();
                finalHead.add(line);
            }
            return finalHead.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        Path head = Files.createTempFile("curl-head", ".txt");
        Path body = Files.createTempFile("curl-body", ".bin");
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "30",
                    "-D", head.toString(), "-o", body.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // The run's own proxy settings must not reroute the test's requests.
            pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            Process p = pb.start();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("curl did not finish: " + command);
            }
            return new Result(p.exitValue(), Files.readString(head, StandardCharsets.ISO_8859_1),
                    Files.readString(body, StandardCharsets.ISO_8859_1), stderr);
        } finally {
            Files.deleteIfExists(head);
            Files.deleteIfExists(body);
        }
    }
}
