package dev.autokey.testing;

import java.lang.management.ManagementFactory;

/**
 * The current thread's allocation counter (HotSpot's {@code ThreadMXBean}), for tests that check
 * a path allocates nothing: no timing involved. A per-operation allocation shows in every round of
 * a measurement, a one-off (a deoptimised stretch on a loaded machine) in one: take the least
 * round ({@link #leastOfRounds}).
 */
public final class Allocations {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** A round of work to measure. */
  @FunctionalInterface
  public interface Round {
    /** Runs the round. */
    void run() throws Exception;
  }

  /** Bytes allocated by the current thread so far. */
  public static long currentThread() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Runs {@code round} {@code rounds} times; the fewest bytes one run allocated. */
  public static long leastOfRounds(int rounds, Round round) throws Exception {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long before = currentThread();
      round.run();
      least = Math.min(least, currentThread() - before);
    }
    return least;
  }
}
