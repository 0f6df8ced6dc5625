package dev.autokey.net.internal;

import dev.autokey.net.Cancellable;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The scheduled tasks of a transport's loop thread, by due time ({@link System#nanoTime()}), in
 * scheduling order for equal times. {@link #add} and {@link #runDue} are for the loop thread
 * only; a timer's {@link Cancellable#cancel()} may be called from any thread.
 */
public final class TimerQueue {
  private static final class Timer implements Cancellable, Comparable<Timer> {
    final long due;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(due - o.due, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicLong seq = new AtomicLong();

  /** A timer for {@code task} due {@code delayNanos} (≥ 0) from now, not yet queued. */
  public Cancellable timer(long delayNanos, Runnable task) {
    return new Timer(System.nanoTime() + Math.max(0, delayNanos), seq.incrementAndGet(), task);
  }

  /** Queues a timer made by {@link #timer} (loop thread only). */
  public void add(Cancellable timer) {
    timers.add((Timer) timer);
  }

  /**
   * Runs every timer that is due, in order (loop thread only); a task's {@link RuntimeException}
   * goes to {@code failed} and the rest still run.
   */
  public void runDue(Consumer<RuntimeException> failed) {
    long now = System.nanoTime();
    Timer t;
    while ((t = timers.peek()) != null && (t.cancelled || t.due - now <= 0)) {
      timers.poll();
      if (!t.cancelled) {
        try {
          t.task.run();
        } catch (RuntimeException ex) {
          failed.accept(ex);
        }
      }
    }
  }

  /**
   * Milliseconds until the next timer is due, rounded up (0 if one is due now, -1 if none is
   * queued); drops cancelled timers at the head (loop thread only).
   */
  public long waitMillis() {
    Timer t;
    while ((t = timers.peek()) != null && t.cancelled) {
      timers.poll();
    }
    if (t == null) {
      return -1;
    }
    long nanos = t.due - System.nanoTime();
    if (nanos <= 0) {
      return 0;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }
}
