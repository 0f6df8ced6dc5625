package dev.autokey.net;

import java.time.Clock;

/**
 * The local clock as raw 64-bit NTP timestamps. Tests inject their own; {@link #system()} reads
 * the JDK's UTC clock (microsecond resolution on Linux). The library only reads this clock.
 */
@FunctionalInterface
public interface NtpClock {
  /** The current local time as a raw NTP timestamp. */
  long now();

  /** The system clock ({@link Clock#systemUTC()}). */
  static NtpClock system() {
    Clock c = Clock.systemUTC();
    return () -> NtpTimestamps.fromInstant(c.instant());
  }

  /** This clock shifted by {@code offsetNanos} (a server that should look ahead or behind). */
  default NtpClock shifted(long offsetNanos) {
    long fixed = NtpTimestamps.fromNanos(offsetNanos);
    return () -> now() + fixed;
  }
}
