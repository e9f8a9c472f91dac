package io.acip.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DGRAM anti-replay window (docs/acip-v0.md §7.3; RFC 4303 §3.4.3). */
class ReplayWindowTest {

    @Test
    void sizeIsTheSpecs() {
        assertEquals(1024, ReplayWindow.SIZE);
    }

    @Test
    void freshWindowTakesAnyNonNegativeNumber() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.mayAccept(0));
        assertTrue(w.mayAccept(5000));
        assertTrue(w.mayAccept(Long.MAX_VALUE));
        assertFalse(w.mayAccept(-1), "a packet number with the top bit set");
        assertFalse(w.mayAccept(Long.MIN_VALUE));
    }

    @Test
    void mayAcceptDoesNotMark() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.mayAccept(3));
        assertTrue(w.mayAccept(3));
        w.accept(3);
        assertFalse(w.mayAccept(3));
    }

    @Test
    void duplicateIsRefused() {
        ReplayWindow w = new ReplayWindow();
        for (long pn : new long[] {0, 1, 2}) w.accept(pn);
        for (long pn : new long[] {0, 1, 2}) assertFalse(w.mayAccept(pn), "" + pn);
        assertTrue(w.mayAccept(3));
    }

    @Test
    void reorderedWithinTheWindowIsAcceptedOnce() {
        ReplayWindow w = new ReplayWindow();
        w.accept(10);
        for (long pn : new long[] {7, 9, 8}) {
            assertTrue(w.mayAccept(pn), "" + pn);
            w.accept(pn);
            assertFalse(w.mayAccept(pn), "" + pn);
        }
        assertTrue(w.mayAccept(6));
    }

    @Test
    void olderThanTheWindowIsRefused() {
        ReplayWindow w = new ReplayWindow();
        w.accept(2000);
        assertTrue(w.mayAccept(2000 - 1023), "the oldest number the window still tracks");
        assertFalse(w.mayAccept(2000 - 1024), "one older");
        assertFalse(w.mayAccept(0));
    }

    @Test
    void slideByMoreThanTheWindowForgetsEverything() {
        ReplayWindow w = new ReplayWindow();
        for (long pn = 0; pn < 10; pn++) w.accept(pn);
        w.accept(5000);
        assertFalse(w.mayAccept(5000));
        assertFalse(w.mayAccept(5));
        assertTrue(w.mayAccept(4999));
        assertTrue(w.mayAccept(5000 - 1023));
        assertFalse(w.mayAccept(5000 - 1024));
    }

    /** Numbers skipped by a slide must read as unseen, even where their bit once belonged to an older number. */
    @Test
    void slideByLessThanTheWindowClearsTheSkippedNumbers() {
        ReplayWindow w = new ReplayWindow();
        for (long pn = 0; pn <= 10; pn++) w.accept(pn);
        w.accept(1030); // 1030 - 1024 = 6: shares its bit with 6; 1029 with 5, ...
        for (long pn = 1011; pn < 1030; pn++) assertTrue(w.mayAccept(pn), "" + pn);
        assertFalse(w.mayAccept(6), "too old now");
        assertFalse(w.mayAccept(7), "seen, and still in the window");
        assertFalse(w.mayAccept(10), "seen, and still in the window");
        assertTrue(w.mayAccept(11), "never seen, in the window");
    }

    /** Against a model that remembers everything: the window answers as RFC 4303 says. */
    @Test
    void agreesWithAModelOnRandomTraffic() {
        Random rnd = new Random(4303);
        ReplayWindow w = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (int i = 0; i < 100_000; i++) {
            long pn = switch (rnd.nextInt(4)) {
                case 0 -> highest + 1 + rnd.nextInt(3);
                case 1 -> Math.max(0, highest - rnd.nextInt(1100));
                case 2 -> highest + rnd.nextInt(2500);
                default -> Math.max(0, highest - 1024 + rnd.nextInt(3));
            };
            boolean expected = pn > highest || highest - pn < ReplayWindow.SIZE && !seen.contains(pn);
            assertEquals(expected, w.mayAccept(pn), "pn " + pn + " with highest " + highest);
            if (expected && rnd.nextInt(10) > 0) { // sometimes the tag fails: not accepted
                w.accept(pn);
                seen.add(pn);
                highest = Math.max(highest, pn);
            }
        }
    }
}
