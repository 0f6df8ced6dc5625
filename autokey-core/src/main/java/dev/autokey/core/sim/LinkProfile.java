package dev.autokey.core.sim;

import com.google.common.base.Preconditions;

/**
 * How a simulated link treats datagrams.
 *
 * @param delayMillis base one-way delay
 * @param jitterMillis uniform extra delay 0..jitter
 * @param loss probability a datagram is lost, 0..1
 * @param duplication probability a datagram is delivered twice, 0..1
 * @param reordering probability a datagram is held back long enough to overtake, 0..1
 */
public record LinkProfile(double delayMillis, double jitterMillis, double loss,
    double duplication, double reordering) {

  /** Validates. */
  public LinkProfile {
    Preconditions.checkArgument(delayMillis >= 0 && jitterMillis >= 0, "negative delay");
    Preconditions.checkArgument(loss >= 0 && loss <= 1, "loss %s not in 0..1", loss);
    Preconditions.checkArgument(duplication >= 0 && duplication <= 1, "duplication not in 0..1");
    Preconditions.checkArgument(reordering >= 0 && reordering <= 1, "reordering not in 0..1");
  }

  /** 1 ms delay, nothing lost. */
  public static LinkProfile perfect() {
    return new LinkProfile(1, 0, 0, 0, 0);
  }

  /** 5 ms ± 2 ms, with {@code p} loss, {@code p} duplication and {@code p} reordering. */
  public static LinkProfile lossy(double p) {
    return new LinkProfile(5, 2, p, p, p);
  }
}
