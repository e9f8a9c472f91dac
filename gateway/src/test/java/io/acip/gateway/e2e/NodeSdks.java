package io.acip.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official SDKs' test scripts (src/test/node) with their pinned dependencies, installed by {@code npm ci} from the
 * npm registry into target/sdk-node once per lock file, and run with the machine's Node. A missing Node or an
 * unreachable registry fails the tests that need them with a message saying so: they are never skipped silently.
 */
final class NodeSdks {
    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path HOME = Path.of("target", "sdk-node");
    private static final String MARKER = ".installed-lock-sha256";

    /** What a script printed and how it ended. */
    record Run(int exit, String out, String err) {
        String explain() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private NodeSdks() {
    }

    /** Copies the scripts and installs the packages the lock file pins, unless that lock is already installed. */
    static synchronized Path install() throws Exception {
        Files.createDirectories(HOME);
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) {
                Files.copy(f, HOME.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String lock = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(HOME.resolve("package-lock.json"))));
        Path marker = HOME.resolve(MARKER);
        if (Files.isDirectory(HOME.resolve("node_modules")) && Files.exists(marker)
                && Files.readString(marker).equals(lock)) {
            return HOME;
        }
        Run version = exec(List.of("node", "--version"), 20);
        if (version.exit() != 0) throw new AssertionError("the SDK tests need Node.js 20.18 or later on PATH: " + version.explain());
        Run ci = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        if (ci.exit() != 0) {
            throw new AssertionError("npm could not install the official SDKs pinned in gateway/src/test/node/"
                    + "package-lock.json (is the npm registry reachable from this machine?):\n" + ci.explain());
        }
        Files.writeString(marker, lock);
        return HOME;
    }

    /** Runs {@code node script jsonArgument} in the install directory. */
    static Run node(String script, String jsonArgument, int timeoutSeconds) throws Exception {
        return exec(List.of("node", script, jsonArgument), timeoutSeconds);
    }

    private static Run exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return exec(command, java.util.Map.of(), timeoutSeconds);
    }

    /** Runs {@code command} in the install directory with {@code env} added to the environment. */
    static Run exec(List<String> command, java.util.Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        try {
            List<String> cmd = new ArrayList<>(command);
            Process p;
            try {
                ProcessBuilder b = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                b.environment().putAll(env);
                p = b.start();
            } catch (IOException e) {
                return new Run(-1, "", command.get(0) + " could not be started: " + e.getMessage());
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Run(-2, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
                        StandardCharsets.UTF_8) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
