package dev.autokey.net;

import com.google.common.base.Preconditions;

/**
 * The system variables a server (or broadcast server, or symmetric peer) advertises in its NTP
 * headers.
 *
 * @param leap leap indicator (3 = unsynchronised)
 * @param stratum stratum 1..15 when synchronised (sent as 0 when unsynchronised, like ntpd's 16)
 * @param precision precision exponent (e.g. -20 for a microsecond clock)
 * @param rootDelay root delay, raw NTP short format (16.16 s)
 * @param rootDispersion root dispersion, raw NTP short format
 * @param referenceId reference ID, raw 32 bits
 * @param referenceTimestamp reference timestamp, raw NTP (in served time)
 */
public record ServerStatus(int leap, int stratum, int precision, long rootDelay,
    long rootDispersion, long referenceId, long referenceTimestamp) {
  /** Canonical constructor; checks ranges. */
  public ServerStatus {
    Preconditions.checkArgument(leap >= 0 && leap <= 3, "leap %s", leap);
    Preconditions.checkArgument(stratum >= 0 && stratum <= 16, "stratum %s", stratum);
    Preconditions.checkArgument(precision >= -128 && precision <= 127, "precision %s",
        precision);
  }

  /** An unsynchronised host (leap 3, stratum 16, reference ID "INIT"). */
  public static ServerStatus unsynchronized(int precision) {
    return new ServerStatus(3, 16, precision, 0, 0, ascii("INIT"), 0);
  }

  /** Whether this host is synchronised (leap &lt; 3 and stratum &lt; 16). */
  public boolean synchronizedClock() {
    return leap != 3 && stratum < 16;
  }

  /** The stratum as it goes on the wire (16 → 0, as ntpd sends it). */
  public int wireStratum() {
    return stratum >= 16 ? 0 : stratum;
  }

  /** A 4-character ASCII reference ID ("LOCL", "GPS", ...) as raw 32 bits, NUL-padded. */
  public static long ascii(String id) {
    Preconditions.checkArgument(id.length() <= 4 && id.chars().allMatch(c -> c > 0x20 && c < 0x7f),
        "reference ID must be 1-4 printable ASCII characters: %s", id);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (i < id.length() ? id.charAt(i) : 0);
    }
    return v;
  }
}
