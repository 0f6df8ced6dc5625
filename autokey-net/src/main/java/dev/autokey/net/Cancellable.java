package dev.autokey.net;

/** A scheduled task that can be cancelled. */
@FunctionalInterface
public interface Cancellable {
  /** Cancels the task if it has not run yet; idempotent. */
  void cancel();
}
