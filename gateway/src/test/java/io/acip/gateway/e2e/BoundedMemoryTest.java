package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 512 MiB upload crosses edge, transit and far into the echo agent while the whole fabric runs in a JVM with a
 * 128 MiB heap and 128 MiB of direct memory: nothing on the path holds a body whole.
 */
class BoundedMemoryTest {
    private static final long SIZE = 512L << 20;

    @TempDir
    Path dir;

    @Test
    void largeUploadPassesWithBoundedMemory() throws Exception {
        Process fabric = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:MaxDirectMemorySize=128m", "-Dio.netty.leakDetection.level=disabled",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), FabricProcess.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(fabric.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5));
                    break;
                }
            }
            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "240", "-T", "-",
                    "-H", "Content-Type: application/octet-stream",
                    "http://127.0.0.1:" + port + "/skills/demo/echo/upload").start();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 16];
            for (int i = 0; i < block.length; i++) block[i] = (byte) (i * 31);
            try (OutputStream up = curl.getOutputStream()) {
                for (long sent = 0; sent < SIZE; sent += block.length) {
                    up.write(block);
                    sha.update(block);
                }
            }
            byte[] answer = curl.getInputStream().readAllBytes();
            String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            curl.waitFor(30, TimeUnit.SECONDS);
            JsonNode echo = new ObjectMapper().readTree(answer.length == 0 ? ("{\"err\":\"" + err.trim() + "\"}").getBytes() : answer);
            assertEquals(SIZE, echo.path("bodyLength").asLong(), new String(answer, StandardCharsets.UTF_8) + err);
            assertEquals(HexFormat.of().formatHex(sha.digest()), echo.get("bodySha256").asText());
            assertEquals(true, fabric.isAlive(), "the fabric process is still running (no OutOfMemoryError)");
        } finally {
            fabric.getOutputStream().close();
            if (!fabric.waitFor(20, TimeUnit.SECONDS)) fabric.destroyForcibly();
        }
    }
}
