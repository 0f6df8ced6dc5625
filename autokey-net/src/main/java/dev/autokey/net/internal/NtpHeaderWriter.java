package dev.autokey.net.internal;

import dev.autokey.net.ServerStatus;
import java.util.Objects;

/**
 * Writes every NTP header autokey-net sends (RFC 5905 §7.3): client requests, server replies,
 * symmetric packets and broadcasts. The system variables (leap, stratum, precision, root delay
 * and dispersion, reference ID and time) come from the sender's {@link ServerStatus}; the rest
 * from the packet. Writes straight into the send buffer, big-endian; allocates nothing.
 */
public final class NtpHeaderWriter {
  /** Length of the header: 48 bytes. */
  public static final int LENGTH = 48;

  private NtpHeaderWriter() {}

  /**
   * Writes a header at {@code buf[off, off + 48)}.
   *
   * @param status the sender's system variables
   * @param version NTP version 1..4
   * @param mode NTP mode 1..5
   * @param poll poll exponent (signed byte)
   * @param origin origin timestamp (raw NTP; 0 in requests and broadcasts)
   * @param receive receive timestamp (raw NTP; 0 in requests and broadcasts)
   * @param transmit transmit timestamp (raw NTP)
   * @throws IllegalArgumentException for a version, mode or poll out of range
   * @throws IndexOutOfBoundsException if fewer than 48 bytes are available at {@code off}
   */
  public static void write(byte[] buf, int off, ServerStatus status, int version, int mode,
      int poll, long origin, long receive, long transmit) {
    if (version < 1 || version > 4 || mode < 1 || mode > 5 || poll < -128 || poll > 127) {
      throw new IllegalArgumentException("version " + version + ", mode " + mode + ", poll "
          + poll);
    }
    Objects.checkFromIndexSize(off, LENGTH, buf.length);
    buf[off] = (byte) (status.leap() << 6 | version << 3 | mode);
    buf[off + 1] = (byte) status.wireStratum();
    buf[off + 2] = (byte) poll;
    buf[off + 3] = (byte) status.precision();
    putInt(buf, off + 4, status.rootDelay());
    putInt(buf, off + 8, status.rootDispersion());
    putInt(buf, off + 12, status.referenceId());
    putLong(buf, off + 16, status.referenceTimestamp());
    putLong(buf, off + 24, origin);
    putLong(buf, off + 32, receive);
    putLong(buf, off + 40, transmit);
  }

  private static void putInt(byte[] b, int i, long v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int i, long v) {
    putInt(b, i, v >>> 32);
    putInt(b, i + 4, v);
  }
}
