package io.acip.gateway;

import io.acip.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar acip-gateway.jar} runs the embedded demo fabric on loopback; {@code --config FILE} runs one node
 * from YAML (docs/configuration.md).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
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
        } else if (args.length == 2 && args[0].equals("--config")) {
            Gateway node;
            try {
                node = Gateway.start(Gateway.load(Path.of(args[1])));
            } catch (ConfigException e) {
                System.err.println("configuration refused: " + e.getMessage());
                System.exit(2);
                return;
            }
            runUntilDrained(node);
        } else {
            System.err.println("usage: acip-gateway [--config FILE]\n"
                    + "  without arguments: the demo fabric on loopback (edge on 127.0.0.1:8080 and :8443)");
            System.exit(args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
        }
    }

    /**
     * SIGTERM drains the node (and so does {@code POST /drain}, after which the process exits by itself): the JVM
     * waits at most the drain timeout and two seconds more.
     */
    private static void runUntilDrained(Gateway node) throws InterruptedException {
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
        }
        System.exit(0);
    }
}
