package io.acip.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the loopback throughput mains do around their measuring: options or usage, quiet logs, a watchdog. */
final class Harness {
    /** Held so the levels set stay: the logging framework keeps loggers only weakly. */
    private static final List<Logger> QUIETED = new CopyOnWriteArrayList<>();

    private Harness() {
    }

    /** The parsed options; on a bad (or {@code --help}'s empty) message, that message and {@code usage}, exit 2. */
    static <O> O optionsOrExit(String[] args, Function<String[], O> parse, String usage) {
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e; // not reached
        }
    }

    /** {@code value} of {@code option} as a positive int; otherwise an error naming both, for {@link #optionsOrExit}. */
    static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(String.valueOf(value));
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, got " + value);
    }

    /** Netty's leak tracking off unless asked for (it is measured otherwise), the named loggers at WARNING. */
    static void quiet(String... loggers) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        for (String name : loggers) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }

    /** Bounds the run: a stall dumps every thread, so the report says where it hung, and exits non-zero. */
    static void startWatchdog(String harness, Duration limit) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println(harness + ": no result after " + limit.toSeconds() + " s; threads:");
            for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                System.err.print(info);
            }
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }
}
