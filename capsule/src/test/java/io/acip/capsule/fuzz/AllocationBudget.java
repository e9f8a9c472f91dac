package io.acip.capsule.fuzz;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;

/**
 * The fuzz harnesses' memory contract: parsing an input allocates no more than a budget proportional to its size
 * (plus the parser's own configured limits), so no declared length or nesting makes a parser reserve memory it was
 * never sent. Measured as the bytes this thread allocated on the heap, which the JVM counts exactly.
 */
public final class AllocationBudget {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What any parse may allocate whatever its input: the harness's records, and an exception's message and stack
     * trace, which under JUnit and Jazzer is over a hundred frames deep.
     */
    public static final long BASE = 64 * 1024;

    /**
     * While fuzzing, Jazzer's comparison hooks copy up to 64 chars of each string a parser compares (to guide the
     * mutator), on this thread: the budget is that much wider then, still far below what a declared-but-unsent
     * length or quadratic growth costs.
     */
    private static final int FUZZING_FACTOR =
            System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty() ? 1 : 8;

    private AllocationBudget() {
    }

    /**
     * {@link #BASE} plus {@code perByte} bytes for each input byte plus what the parser's limits allow it to hold. A
     * few hundred bytes per input byte is linear cost (feeding a parser one byte at a time already takes a buffer
     * view per byte); what this catches is memory reserved for what was declared but never sent, or grown faster
     * than the input.
     */
    public static long of(byte[] input, int perByte, long limits) {
        return FUZZING_FACTOR * (BASE + (long) perByte * input.length + limits);
    }

    /** Work measured against the budget; it catches the parser's own rejection itself. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code work} and fails if it allocated more than {@code budget} bytes. An overrun is measured a second
     * time before it counts, since the first run of a code path also pays for loading and initialising classes.
     */
    public static void check(byte[] input, long budget, Work work) throws Exception {
        long used = measure(work);
        if (used > budget) used = measure(work);
        if (used > budget) {
            String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
            throw new AssertionError("parsing " + input.length + " bytes allocated " + used + " bytes, budget "
                    + budget + ": " + hex + (input.length > 256 ? "..." : ""));
        }
    }

    private static long measure(Work work) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
