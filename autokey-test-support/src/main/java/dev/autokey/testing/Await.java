package dev.autokey.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that another thread makes true (a counter reached, a flag lit, a thread
 * parked), up to a generous deadline: the one wait of the real-socket tests. It never asserts a
 * time: a fast machine returns at once, a loaded one takes longer, only a condition that never
 * comes fails. Between checks it yields the core for a millisecond rather than spinning, which on
 * a busy 2-core machine would starve the thread being waited for.
 */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} if it does not hold within {@code seconds}
   */
  public static void until(BooleanSupplier condition, long seconds, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + seconds + " s: " + what.get());
      }
      TimeUnit.MILLISECONDS.sleep(1);
    }
  }
}
