package dev.autokey.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A time source that follows an upstream server through the samples of an {@link NtpNode}
 * client (register it as that client's {@link SampleListener}): it serves local time plus the
 * offset of the lowest-delay sample among the last {@value #FILTER_LENGTH} (RFC 5905's clock
 * filter idea), as stratum upstream + 1 with the upstream's reference ID rule (IPv4 address, or
 * the first four bytes of the MD5 of an IPv6 address). The system clock is never touched.
 * Unsynchronised (leap 3, stratum 16) until the first sample. Thread-safe.
 */
public final class UpstreamTimeSource implements TimeSource, SampleListener {
  /** Samples kept for the minimum-delay choice: {@value}. */
  public static final int FILTER_LENGTH = 8;

  private final NtpClock clock;
  private final ArrayDeque<TimeSample> window = new ArrayDeque<>();
  private volatile State state;

  private record State(long offsetFixed, ServerStatus status) {}

  /** A source over {@code clock}, unsynchronised until its first sample. */
  public UpstreamTimeSource(NtpClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void onSample(TimeSample s) {
    if (s.leap() == 3 || s.stratum() < 1 || s.stratum() >= 15) {
      return;
    }
    window.addLast(s);
    while (window.size() > FILTER_LENGTH) {
      window.removeFirst();
    }
    TimeSample best = s;
    for (TimeSample w : window) {
      if (w.delayNanos() < best.delayNanos()) {
        best = w;
      }
    }
    long offset = NtpTimestamps.fromNanos(best.offsetNanos());
    long rootDelay = NtpTimestamps.nanosToShort(best.rootDelayNanos() + Math.max(0, best.delayNanos()));
    long rootDisp = NtpTimestamps.nanosToShort(best.rootDispersionNanos()
        + Math.max(0, best.delayNanos()) / 2 + 1_000_000L);
    ServerStatus st = new ServerStatus(best.leap(), best.stratum() + 1,
        TimeSource.SYSTEM_PRECISION, rootDelay, rootDisp,
        referenceIdOf(best.source().getAddress()), best.t4() + offset);
    state = new State(offset, st);
  }

  @Override
  public long now() {
    return serve(clock.now());
  }

  @Override
  public long serve(long localNtp) {
    State s = state;
    return s == null ? localNtp : localNtp + s.offsetFixed();
  }

  @Override
  public ServerStatus status() {
    State s = state;
    return s == null ? ServerStatus.unsynchronized(TimeSource.SYSTEM_PRECISION) : s.status();
  }

  /** The offset currently applied, in nanoseconds (0 before the first sample). */
  public long offsetNanos() {
    State s = state;
    return s == null ? 0 : NtpTimestamps.toNanos(s.offsetFixed());
  }

  /**
   * The RFC 5905 reference ID of an upstream server: its IPv4 address, or the first four bytes
   * of the MD5 digest of its IPv6 address.
   */
  public static long referenceIdOf(InetAddress upstream) {
    byte[] a = upstream.getAddress();
    if (!(upstream instanceof Inet4Address)) {
      try {
        a = MessageDigest.getInstance("MD5").digest(a);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is a required JDK algorithm", e);
      }
    }
    return ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
  }
}
