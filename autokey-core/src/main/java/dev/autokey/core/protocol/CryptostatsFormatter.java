package dev.autokey.core.protocol;

import java.net.InetAddress;
import java.util.Locale;

/**
 * Formats events as lines of ntpd's {@code cryptostats} file: {@code MJD seconds.mmm address
 * text}, e.g. {@code 61366 43479.614 192.0.2.1 cert server server 0x5 md5WithRSAEncryption (8) fs
 * 4004337867}. Host-level events use address {@code 0.0.0.0}, as ntpd does.
 */
public final class CryptostatsFormatter {
  /** NTP day 0 (1900-01-01) as a Modified Julian Day. */
  private static final long MJD_1900 = 15_020L;

  private CryptostatsFormatter() {}

  /** One line, without a trailing newline. */
  public static String format(ProtocolEvent e) {
    return format(e.time(), e.peer().map(InetAddress::getHostAddress).orElse("0.0.0.0"), e.text());
  }

  /** One line from its parts: NTP 64-bit time, address text, event text. */
  public static String format(long ntp64, String address, String text) {
    long secs = ntp64 >>> 32;
    long millis = ((ntp64 & 0xFFFF_FFFFL) * 1000L) >>> 32;
    long day = secs / 86_400L;
    long sod = secs % 86_400L;
    return String.format(Locale.ROOT, "%d %d.%03d %s %s", day + MJD_1900, sod, millis, address,
        sanitize(text));
  }

  /** ntpd's error text ({@code crypto_recv}: {@code "%04x %d %02x %s"}): field header word, association ID, full XEVNT code, text. */
  public static String errorText(long opcodeWord, long associationId, dev.autokey.core.XEvent e) {
    return String.format(Locale.ROOT, "%04x %d %02x %s", opcodeWord & 0xFFFF_FFFFL, associationId,
        e.code(), e.text());
  }

  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 512));
    for (int i = 0; i < s.length() && b.length() < 512; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
