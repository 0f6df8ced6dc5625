package dev.autokey.core.protocol;

/**
 * Helpers for the time values of this package: NTP 64-bit timestamps, era 0, unsigned — seconds
 * since 1900-01-01 in the high 32 bits, binary fraction in the low 32 bits, exactly the format of
 * the NTP header's timestamp fields.
 */
public final class NtpTime {
  /** Seconds between 1900-01-01 (NTP epoch) and 1970-01-01 (Unix epoch). */
  public static final long UNIX_EPOCH_OFFSET = 2_208_988_800L;

  /** "Never": the value {@code nextDeadline()} returns when no timer is armed. */
  public static final long NEVER = -1L;

  private NtpTime() {}

  /** The 64-bit timestamp of whole NTP seconds {@code seconds} (0..2^32-1). */
  public static long ofSeconds(long seconds) {
    if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("NTP seconds " + seconds + " not in 0..2^32-1");
    }
    return seconds << 32;
  }

  /** The whole NTP seconds (unsigned 32 bits) of a 64-bit timestamp. */
  public static long seconds(long ntp64) {
    return ntp64 >>> 32;
  }

  /** The 64-bit timestamp for Unix milliseconds (for callers that read a wall clock). */
  public static long ofUnixMillis(long millis) {
    long secs = Math.floorDiv(millis, 1000L) + UNIX_EPOCH_OFFSET;
    long frac = (Math.floorMod(millis, 1000L) << 32) / 1000L;
    return (secs << 32) | frac;
  }

  /** {@code t + seconds} on the NTP 64-bit scale. */
  public static long plusSeconds(long ntp64, long seconds) {
    return ntp64 + (seconds << 32);
  }

  /** Whether deadline {@code a} comes before {@code b}, with {@link #NEVER} after everything. */
  public static long earlier(long a, long b) {
    if (a == NEVER) {
      return b;
    }
    if (b == NEVER) {
      return a;
    }
    return Long.compareUnsigned(a, b) <= 0 ? a : b;
  }

  /** Whether {@code deadline} is due at {@code now} ({@link #NEVER} is never due). */
  public static boolean due(long deadline, long now) {
    return deadline != NEVER && Long.compareUnsigned(deadline, now) <= 0;
  }
}
