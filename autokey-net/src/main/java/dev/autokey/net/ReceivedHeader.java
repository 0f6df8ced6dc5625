package dev.autokey.net;

/**
 * The NTP header of a received datagram, parsed once by the node ({@link #parse}) and handed to
 * whichever part takes the packet: the server reply, an association, the broadcast listener.
 *
 * @param leap leap indicator
 * @param version NTP version
 * @param mode NTP mode
 * @param stratum stratum (0: kiss-o'-death or unsynchronised)
 * @param poll poll exponent
 * @param precision precision exponent
 * @param rootDelay root delay, raw NTP short format
 * @param rootDispersion root dispersion, raw NTP short format
 * @param referenceId reference ID, raw (the kiss code at stratum 0)
 * @param origin origin timestamp, raw NTP
 * @param receive receive timestamp, raw NTP
 * @param transmit transmit timestamp, raw NTP
 */
record ReceivedHeader(int leap, int version, int mode, int stratum, int poll, int precision,
    long rootDelay, long rootDispersion, long referenceId, long origin, long receive,
    long transmit) {
  /** Length of the header: 48 bytes. */
  static final int LENGTH = 48;
  /** Leap indicator of an unsynchronised server. */
  static final int LEAP_UNSYNCHRONIZED = 3;

  /** The header of {@code d}, or {@code null} if it is shorter than 48 bytes. */
  static ReceivedHeader parse(Datagram d) {
    if (d.length() < LENGTH) {
      return null;
    }
    byte[] b = d.array();
    return new ReceivedHeader((b[0] >> 6) & 3, (b[0] >> 3) & 7, b[0] & 7, b[1] & 0xFF, b[2],
        b[3], u32(b, 4), u32(b, 8), u32(b, 12), u64(b, 24), u64(b, 32), u64(b, 40));
  }

  /**
   * Whether the sender claims to be synchronised: leap indicator not 3, stratum 1..15 (RFC 5905
   * §8, the "server not synchronised" test).
   */
  boolean synchronised() {
    return leap != LEAP_UNSYNCHRONIZED && stratum >= 1 && stratum <= 15;
  }

  /** The root delay in nanoseconds. */
  long rootDelayNanos() {
    return NtpTimestamps.shortToNanos(rootDelay);
  }

  /** The root dispersion in nanoseconds. */
  long rootDispersionNanos() {
    return NtpTimestamps.shortToNanos(rootDispersion);
  }

  /** The time sample of datagram {@code d} with this header and the given t1, t2, θ, δ. */
  TimeSample sample(Datagram d, long t1, long t2, long offsetNanos, long delayNanos,
      boolean authenticated) {
    return new TimeSample(d.source(), d.local(), mode, leap, stratum, poll, precision,
        referenceId, rootDelayNanos(), rootDispersionNanos(), t1, t2, transmit, d.receiveTime(),
        offsetNanos, delayNanos, authenticated);
  }

  /** The kiss code of a stratum-0 packet: the printable ASCII of the reference ID. */
  String kissCode() {
    StringBuilder sb = new StringBuilder(4);
    for (int i = 3; i >= 0; i--) {
      int c = (int) (referenceId >>> (8 * i)) & 0xFF;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static long u32(byte[] b, int i) {
    return (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8
        | (b[i + 3] & 0xFF);
  }

  private static long u64(byte[] b, int i) {
    return u32(b, i) << 32 | u32(b, i + 4);
  }
}
