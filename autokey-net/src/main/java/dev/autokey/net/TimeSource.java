package dev.autokey.net;

import com.google.common.base.Preconditions;
import java.util.Objects;

/**
 * Where a server's time comes from: the timestamps it puts in its headers and the system
 * variables it advertises. Never sets the system clock.
 */
public interface TimeSource {
  /** Precision exponent of {@link NtpClock#system()} on Linux (microseconds): {@value}. */
  int SYSTEM_PRECISION = -20;

  /** The served time (raw NTP) now. */
  long now();

  /** The served time corresponding to local clock reading {@code localNtp}. */
  long serve(long localNtp);

  /** The system variables to advertise now. */
  ServerStatus status();

  /**
   * The local clock as an unsynchronised source (leap 3, stratum 16, reference ID "INIT"), as a
   * pure client is: its headers carry the local time and advertise no time to serve.
   */
  static TimeSource unsynchronized(NtpClock clock) {
    Objects.requireNonNull(clock, "clock");
    ServerStatus status = ServerStatus.unsynchronized(SYSTEM_PRECISION);
    return new TimeSource() {
      @Override
      public long now() {
        return clock.now();
      }

      @Override
      public long serve(long localNtp) {
        return localNtp;
      }

      @Override
      public ServerStatus status() {
        return status;
      }
    };
  }

  /**
   * The local clock as a stratum-{@code stratum} source with reference ID "LOCL" (like ntpd's
   * LOCAL driver with {@code fudge stratum N}), root dispersion 10 ms: ntpd selects it as long as
   * {@code stratum} is below its {@code tos orphan} stratum.
   */
  static TimeSource localClock(NtpClock clock, int stratum) {
    Preconditions.checkArgument(stratum >= 1 && stratum <= 15, "stratum %s", stratum);
    long refid = ServerStatus.ascii("LOCL");
    long rootDispersion = NtpTimestamps.nanosToShort(10_000_000L);
    return new TimeSource() {
      @Override
      public long now() {
        return clock.now();
      }

      @Override
      public long serve(long localNtp) {
        return localNtp;
      }

      @Override
      public ServerStatus status() {
        // reference time: the last 16-second boundary, never later than any transmit time
        long now = clock.now();
        long reftime = (now >>> 32 & ~0xFL) << 32;
        return new ServerStatus(0, stratum, SYSTEM_PRECISION, 0, rootDispersion, refid, reftime);
      }
    };
  }
}
