package io.acip.gateway;

import io.acip.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar acip-gateway.jar} runs the embedded demo fabric on loopback; {@code --config FILE} runs one node
 * from YAML (docs/configuration.md).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        AutoCloseable running;
        if (args.length == 0) {
            Demo demo = Demo.start(Path.of("data", "demo"), 8080, 8443, 9901);
            System.out.println(demo.instructions());
            running = demo;
        } else if (args.length == 2 && args[0].equals("--config")) {
            try {
                running = Gateway.start(Gateway.load(Path.of(args[1])));
            } catch (ConfigException e) {
                System.err.println("configuration refused: " + e.getMessage());
                System.exit(2);
                return;
            }
        } else {
            System.err.println("usage: acip-gateway [--config FILE]\n"
                    + "  without arguments: the demo fabric on loopback (edge on 127.0.0.1:8080 and :8443)");
            System.exit(args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
    }
}
