package dev.autokey.crypto.internal.keygen;

import static dev.autokey.core.protocol.NtpTime.UNIX_EPOCH_OFFSET;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * NTP-seconds filestamps and the {@code ctime()} date line of ntp-keygen headers.
 *
 * <p>A filestamp is the integer part of an NTP timestamp (seconds since 1900-01-01 UTC, era 0) as
 * an unsigned 32-bit number, held in a {@code long}.
 */
public final class Filestamps {
  private static final DateTimeFormatter CTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

  private Filestamps() {}

  /** NTP seconds of an instant (era 0: instants from 1900 to 2036-02-07). */
  public static long ntpSeconds(Instant t) {
    long s = t.getEpochSecond() + UNIX_EPOCH_OFFSET;
    if (s < 0 || s > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("instant outside NTP era 0: " + t);
    }
    return s;
  }

  /** The instant of NTP seconds in era 0. */
  public static Instant instant(long ntpSeconds) {
    if (ntpSeconds < 0 || ntpSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not an unsigned 32-bit NTP seconds value: " + ntpSeconds);
    }
    return Instant.ofEpochSecond(ntpSeconds - UNIX_EPOCH_OFFSET);
  }

  /**
   * The 24-character C {@code ctime()} text ({@code "Www Mmm dd hh:mm:ss yyyy"}, day space-padded)
   * without its trailing newline, in the given zone (ntp-keygen uses the process's local zone;
   * the sample files were made with {@code TZ=UTC}).
   */
  public static String ctime(Instant t, ZoneId zone) {
    Objects.requireNonNull(t, "t");
    Objects.requireNonNull(zone, "zone");
    return CTIME.format(ZonedDateTime.ofInstant(t, zone));
  }
}
