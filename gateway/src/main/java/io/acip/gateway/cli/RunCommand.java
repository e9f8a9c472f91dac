package io.acip.gateway.cli;

import io.acip.gateway.Demo;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config FILE}: one node until SIGTERM or {@code POST /drain} has drained it. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run one node from a configuration file "
        + "until SIGTERM or POST /drain drains it (docs/operations.md, Stopping); SIGHUP reloads the file.")
final class RunCommand implements Callable<Integer> {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RunCommand.class.getName());
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the node's YAML configuration")
    Path config;

    @Override
    public Integer call() throws Exception {
        return run(config);
    }

    static int run(Path file) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<Gateway> started = new java.util.concurrent.atomic.AtomicReference<>();
        reloadOnHangup(started); // before the listeners open: a SIGHUP must never take the default action (exit)
        Gateway node;
        try {
            node = Gateway.start(Gateway.load(file)).source(file);
            started.set(node);
        } catch (ConfigException e) {
            System.err.println("configuration refused: " + e.getMessage());
            return AcipGateway.REFUSED;
        } catch (Exception e) {
            System.err.println("node did not start: " + e);
            return AcipGateway.FAILED;
        }
        return untilDrained(node);
    }

    /**
     * SIGHUP reads the file again and applies it (as nginx does); a refused file is logged with its reason and the
     * running configuration stays. On a thread of its own: reading Agent Cards may block. A process started with
     * SIGHUP ignored (under nohup) keeps it ignored: the JVM installs no handler then.
     */
    private static void reloadOnHangup(java.util.concurrent.atomic.AtomicReference<Gateway> started) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> new Thread(() -> {
            Gateway node = started.get();
            if (node == null) {
                LOG.warning("SIGHUP before the node started: nothing to reload");
                return;
            }
            try {
                node.reload();
            } catch (ConfigException e) {
                LOG.warning("SIGHUP: configuration refused, the running one stays: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.warning("SIGHUP: reload failed, the running configuration stays: " + e);
            }
        }, "reload").start());
    }

    /**
     * SIGTERM drains the node (and so does {@code POST /drain}, after which the process exits by itself): the JVM
     * waits at most the drain timeout and two seconds more.
     */
    private static int untilDrained(Gateway node) {
        long bound = node.drainTimeout().toMillis() + 2_000;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.drain().get(bound, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                System.err.println("drain did not finish in " + bound + " ms; exiting anyway");
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "shutdown"));
        try {
            node.whenDrained().join(); // returns once something (SIGTERM or the admin listener) drained the node
        } catch (java.util.concurrent.CompletionException e) {
            e.printStackTrace();
            return AcipGateway.FAILED;
        }
        return AcipGateway.OK;
    }

    static int demo() throws Exception {
        Demo demo = Demo.start(Path.of("data", "demo"), 8080, 8443, 9901);
        System.out.println(demo.instructions());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
        return AcipGateway.OK;
    }
}
