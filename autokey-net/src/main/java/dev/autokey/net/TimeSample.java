package dev.autokey.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One time sample from a peer, with the RFC 5905 on-wire offset and delay:
 * θ = ((T2 − T1) + (T3 − T4)) / 2, δ = (T4 − T1) − (T3 − T2). For broadcast samples T1 and T2 are
 * 0, θ = T3 − T4 + d/2 and δ = d, where d is the configured (or calibrated) round-trip delay.
 *
 * <p>This library never sets the clock: feed {@link #offsetNanos()} (and {@link #delayNanos()}
 * for filtering, e.g. keep the lowest-delay sample of the last eight as RFC 5905's clock filter
 * does) to your own discipline; {@link UpstreamTimeSource} shows a minimal one that serves
 * corrected time without touching the system clock.
 *
 * @param source the peer
 * @param local the local address the packet arrived on
 * @param mode the packet's NTP mode (4 server, 5 broadcast, 1/2 symmetric)
 * @param leap the peer's leap indicator
 * @param stratum the peer's stratum
 * @param poll the peer's poll exponent
 * @param precision the peer's precision exponent
 * @param referenceId the peer's reference ID (raw)
 * @param rootDelayNanos the peer's root delay
 * @param rootDispersionNanos the peer's root dispersion
 * @param t1 origin timestamp (our transmit time; 0 for broadcast)
 * @param t2 peer's receive timestamp (0 for broadcast)
 * @param t3 peer's transmit timestamp
 * @param t4 our receive timestamp
 * @param offsetNanos θ: how far the peer's clock is ahead of ours
 * @param delayNanos δ: round-trip delay
 * @param authenticated whether the packet was authenticated (false only without authentication)
 */
public record TimeSample(InetSocketAddress source, InetSocketAddress local, int mode, int leap,
    int stratum, int poll, int precision, long referenceId, long rootDelayNanos,
    long rootDispersionNanos, long t1, long t2, long t3, long t4, long offsetNanos,
    long delayNanos, boolean authenticated) {

  /** Canonical constructor; checks the addresses are given. */
  public TimeSample {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(local, "local");
  }

  /** θ in seconds. */
  public double offsetSeconds() {
    return offsetNanos / 1e9;
  }

  /** δ in seconds. */
  public double delaySeconds() {
    return delayNanos / 1e9;
  }

  /** θ as a duration. */
  public Duration offset() {
    return Duration.ofNanos(offsetNanos);
  }

  /** δ as a duration. */
  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  /** RFC 5905 on-wire offset θ in nanoseconds from the four raw timestamps. */
  public static long offsetNanos(long t1, long t2, long t3, long t4) {
    // (T2 - T1) and (T3 - T4) are each within ±2^31 s; halve before adding to avoid overflow
    long a = t2 - t1;
    long b = t3 - t4;
    return NtpTimestamps.toNanos((a >> 1) + (b >> 1) + (a & b & 1));
  }

  /** RFC 5905 on-wire delay δ in nanoseconds from the four raw timestamps. */
  public static long delayNanos(long t1, long t2, long t3, long t4) {
    return NtpTimestamps.toNanos((t4 - t1) - (t3 - t2));
  }
}
