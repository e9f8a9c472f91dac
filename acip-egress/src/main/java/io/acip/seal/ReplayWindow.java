package io.acip.seal;

/**
 * Sliding anti-replay window over datagram packet numbers (the RFC 4303 §3.4.3 scheme): numbers above the highest
 * seen are new; numbers within {@link #SIZE} below it are new unless their bit is set; older ones are refused.
 */
public final class ReplayWindow {
    public static final int SIZE = 1024;
    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    public boolean mayAccept(long pn) {
        if (pn < 0) return false;
        if (pn > highest) return true;
        if (highest - pn >= SIZE) return false;
        return (bits[slot(pn)] & mask(pn)) == 0;
    }

    /** Marks {@code pn} seen; call only after {@link #mayAccept} and authentication succeeded. */
    public void accept(long pn) {
        if (pn > highest) {
            long shift = highest < 0 ? SIZE : pn - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long n = highest + 1; n < pn; n++) bits[slot(n)] &= ~mask(n);
            }
            highest = pn;
        }
        bits[slot(pn)] |= mask(pn);
    }

    private static int slot(long pn) {
        return (int) ((pn >>> 6) & (SIZE / 64 - 1));
    }

    private static long mask(long pn) {
        return 1L << (pn & 63);
    }
}
