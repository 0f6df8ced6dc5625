package dev.autokey.core.sim;

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
    if (!(delayMillis >= 0 && jitterMillis >= 0)) {
      throw new IllegalArgumentException("negative delay");
    }
    if (!(loss >= 0 && loss <= 1)) {
      throw new IllegalArgumentException("loss " + loss + " not in 0..1");
    }
    if (!(duplication >= 0 && duplication <= 1)) {
      throw new IllegalArgumentException("duplication not in 0..1");
    }
    if (!(reordering >= 0 && reordering <= 1)) {
      throw new IllegalArgumentException("reordering not in 0..1");
    }
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
