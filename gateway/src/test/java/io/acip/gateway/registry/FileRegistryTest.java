package io.acip.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.attach.AttachRefusedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store: what it keeps across a restart, how it writes, what it refuses to read, and leases. */
class FileRegistryTest {
    @TempDir
    Path dir;

    static Registration registration(String agent, String... skills) {
        var doc = Registration.JSON.createObjectNode().put("agent", agent).put("origin", "http://127.0.0.1:9");
        for (String s : skills) doc.withArray("skills").addObject().put("name", s);
        return new Registration(agent, doc.toString(), "the admin token", List.of(skills), "edge-a",
                Instant.parse("2026-12-07T00:00:00Z"));
    }

    static final AgentRegistry.Listener IGNORE = new AgentRegistry.Listener() {
        @Override
        public void registered(Registration r) {
        }

        @Override
        public void removed(String agent) {
        }
    };

    @Test
    void registrationsSurviveARestartWithEverythingTheyHeld() throws Exception {
        try (FileRegistry first = new FileRegistry(dir, Duration.ZERO)) {
            assertEquals(List.of(), first.start(IGNORE));
            first.put(registration("travel/agent \"one\"", "travel/book", "travel/search"));
            first.put(registration("other", "other/x"));
            first.remove("other");
        }
        try (FileRegistry second = new FileRegistry(dir, Duration.ZERO)) {
            List<Registration> held = second.start(IGNORE);
            assertEquals(1, held.size());
            Registration r = held.get(0);
            assertEquals("travel/agent \"one\"", r.agent());
            assertEquals(List.of("travel/book", "travel/search"), r.skills());
            assertEquals("the admin token", r.owner());
            assertEquals("edge-a", r.node());
            assertEquals("travel/book", r.parse().skills().get(0).name().value());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "one file per registration, no temporary file left");
        }
    }

    @Test
    void aSkillAnotherAgentHoldsIs409() throws Exception {
        try (FileRegistry r = new FileRegistry(dir, Duration.ZERO)) {
            r.start(IGNORE);
            r.put(registration("a", "shared/skill"));
            AttachRefusedException e = assertThrows(AttachRefusedException.class,
                    () -> r.put(registration("b", "shared/skill")));
            assertEquals(409, e.status());
            assertEquals("agent a (registry)", e.members().get("holder"));
            r.put(registration("a", "shared/skill", "more/skill")); // the holder itself may register again
        }
    }

    @Test
    void aFileItCannotReadIsLoggedAndLeftAloneAndTheRestIsServed() throws Exception {
        try (FileRegistry r = new FileRegistry(dir, Duration.ZERO)) {
            r.start(IGNORE);
            r.put(registration("good", "good/skill"));
        }
        Path broken = dir.resolve(FileRegistry.fileName("broken"));
        Files.writeString(broken, "{\"agent\":\"broken\",\"document\":", StandardCharsets.UTF_8);
        Path wrongDocument = dir.resolve(FileRegistry.fileName("odd"));
        Registration odd = registration("odd", "odd/skill");
        Files.write(wrongDocument, odd.toBytes(odd.toJson().put("document", "{\"agent\":\"odd\"}")));
        Files.writeString(dir.resolve("." + FileRegistry.fileName("good") + ".tmp"), "half a write");
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler h = capture(logged);
        try (FileRegistry r = new FileRegistry(dir, Duration.ZERO)) {
            List<Registration> held = r.start(IGNORE);
            assertEquals(List.of("good"), held.stream().map(Registration::agent).toList());
        } finally {
            Logger.getLogger(FileRegistry.class.getName()).removeHandler(h);
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains(broken.toString()) && l.contains("ignored")), logged.toString());
        assertTrue(logged.stream().anyMatch(l -> l.contains(wrongDocument.toString()) && l.contains("origin")), logged.toString());
        assertTrue(Files.exists(broken), "a file it cannot read stays for the operator");
        assertTrue(Files.notExists(dir.resolve("." + FileRegistry.fileName("good") + ".tmp")));
    }

    @Test
    void aLeaseNotRenewedRemovesTheRegistrationAndItsFile() throws Exception {
        CompletableFuture<String> removed = new CompletableFuture<>();
        try (FileRegistry r = new FileRegistry(dir, Duration.ofSeconds(2))) {
            r.start(new AgentRegistry.Listener() {
                @Override
                public void registered(Registration x) {
                }

                @Override
                public void removed(String agent) {
                    removed.complete(agent);
                }
            });
            long t0 = System.nanoTime();
            r.put(registration("brief", "brief/skill"));
            assertEquals(Duration.ofSeconds(2), r.renew("brief"));
            assertEquals("brief", removed.get(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(2), "not before the lease ends");
            assertEquals(404, assertThrows(AttachRefusedException.class, () -> r.renew("brief")).status());
            assertTrue(Files.notExists(dir.resolve(FileRegistry.fileName("brief"))));
        }
    }

    private static Handler capture(List<String> lines) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(FileRegistry.class.getName()).addHandler(h);
        return h;
    }
}
