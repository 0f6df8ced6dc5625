package dev.autokey.net;

import dev.autokey.core.protocol.NtpTime;
import java.time.Instant;

/**
 * Conversions for raw 64-bit NTP timestamps (RFC 5905 §6: seconds since 1900-01-01 00:00 UTC in
 * the high 32 bits, binary fraction in the low 32 bits) and signed differences between them.
 *
 * <p>Differences are taken modulo 2^64, so they are correct across an NTP era boundary (2036) as
 * long as the two timestamps are within about 68 years of each other, exactly as RFC 5905
 * requires.
 */
public final class NtpTimestamps {
  private static final long NANOS = 1_000_000_000L;
  private static final long ERA = 1L << 32;

  private NtpTimestamps() {}

  /** The raw NTP timestamp of {@code t} (era folded: the seconds part is taken modulo 2^32). */
  public static long fromInstant(Instant t) {
    long seconds = t.getEpochSecond() + NtpTime.UNIX_EPOCH_OFFSET;
    long fraction = (((long) t.getNano()) << 32) / NANOS;
    if (fraction > 0xFFFF_FFFFL) {
      fraction = 0xFFFF_FFFFL;
    }
    return (seconds << 32) | fraction;
  }

  /**
   * The instant of raw timestamp {@code ntp}, choosing the NTP era that puts the result closest to
   * {@code pivot} (pass "now" for received timestamps).
   */
  public static Instant toInstant(long ntp, Instant pivot) {
    long seconds = ntp >>> 32;
    long nanos = ((ntp & 0xFFFF_FFFFL) * NANOS + (1L << 31)) >>> 32;
    long pivotNtp = pivot.getEpochSecond() + NtpTime.UNIX_EPOCH_OFFSET;
    long era = Math.floorDiv(pivotNtp, ERA);
    long best = era * ERA + seconds;
    if (best - pivotNtp > ERA / 2) {
      best -= ERA;
    } else if (pivotNtp - best > ERA / 2) {
      best += ERA;
    }
    return Instant.ofEpochSecond(best - NtpTime.UNIX_EPOCH_OFFSET, nanos);
  }

  /**
   * {@code a - b} in nanoseconds, signed, for two raw timestamps less than 2^31 seconds apart
   * (rounded to the nearest nanosecond).
   */
  public static long differenceNanos(long a, long b) {
    return toNanos(a - b);
  }

  /** Converts a signed 32.32 fixed-point duration (seconds) to nanoseconds, rounded. */
  public static long toNanos(long fixed) {
    long seconds = fixed >> 32; // floor
    long fraction = fixed & 0xFFFF_FFFFL;
    return seconds * NANOS + ((fraction * NANOS + (1L << 31)) >>> 32);
  }

  /** Converts signed nanoseconds to a signed 32.32 fixed-point duration. */
  public static long fromNanos(long nanos) {
    long seconds = Math.floorDiv(nanos, NANOS);
    long rest = Math.floorMod(nanos, NANOS);
    return (seconds << 32) + ((rest << 32) / NANOS);
  }

  /** A raw NTP short-format value (16.16 seconds) as nanoseconds. */
  public static long shortToNanos(long raw) {
    long r = raw & 0xFFFF_FFFFL;
    return (r >>> 16) * NANOS + (((r & 0xFFFF) * NANOS + (1L << 15)) >>> 16);
  }

  /** Nanoseconds (clamped to 0 .. 65535.99998 s) as a raw NTP short-format value (16.16). */
  public static long nanosToShort(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    long seconds = nanos / NANOS;
    if (seconds > 0xFFFF) {
      return 0xFFFF_FFFFL;
    }
    long fraction = ((nanos % NANOS) << 16) / NANOS;
    return (seconds << 16) | fraction;
  }
}
