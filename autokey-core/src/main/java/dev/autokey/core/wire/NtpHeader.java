package dev.autokey.core.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The 48-byte NTP header (RFC 5905) at the start of every Autokey packet. Autokey changes no
 * header field.
 *
 * <p>{@link #view(byte[], int)} and {@link #view(ByteBuffer)} give a read-only, zero-copy view over
 * the caller's buffer: reading it costs index reads only, and it sees later changes to the buffer.
 * {@link #copy()} (and every header inside an {@link AutokeyPacket}) is an immutable snapshot.
 * Timestamps are raw 64-bit NTP values (seconds in the high 32 bits, fraction in the low 32 bits),
 * root delay and dispersion raw 32-bit NTP short format.
 */
public final class NtpHeader {
  /** Length of the header in bytes: {@value}. */
  public static final int LENGTH = 48;
  /** Mode 1: symmetric active. */
  public static final int MODE_SYMMETRIC_ACTIVE = 1;
  /** Mode 2: symmetric passive. */
  public static final int MODE_SYMMETRIC_PASSIVE = 2;
  /** Mode 3: client. */
  public static final int MODE_CLIENT = 3;
  /** Mode 4: server. */
  public static final int MODE_SERVER = 4;
  /** Mode 5: broadcast. */
  public static final int MODE_BROADCAST = 5;
  /** Leap indicator 3: clock unsynchronised. */
  public static final int LEAP_UNSYNCHRONIZED = 3;

  /** Byte offset of the reference ID. */
  public static final int OFFSET_REFERENCE_ID = 12;
  /** Byte offset of the reference timestamp. */
  public static final int OFFSET_REFERENCE_TIMESTAMP = 16;
  /** Byte offset of the origin timestamp. */
  public static final int OFFSET_ORIGIN_TIMESTAMP = 24;
  /** Byte offset of the receive timestamp. */
  public static final int OFFSET_RECEIVE_TIMESTAMP = 32;
  /** Byte offset of the transmit timestamp. */
  public static final int OFFSET_TRANSMIT_TIMESTAMP = 40;

  private final ByteBuffer buf; // index 0 = first header byte, big-endian, read-only
  private final boolean snapshot;

  private NtpHeader(ByteBuffer buf, boolean snapshot) {
    this.buf = buf;
    this.snapshot = snapshot;
  }

  /**
   * A read-only view over {@code buf[off, off + 48)}. No copy: the view reflects later changes.
   *
   * @throws IndexOutOfBoundsException if fewer than 48 bytes are available at {@code off}
   */
  public static NtpHeader view(byte[] buf, int off) {
    Objects.checkFromIndexSize(off, LENGTH, buf.length);
    return new NtpHeader(ByteBuffer.wrap(buf, off, LENGTH).slice().asReadOnlyBuffer()
        .order(ByteOrder.BIG_ENDIAN), false);
  }

  /**
   * A read-only view over the 48 bytes starting at {@code buf.position()}; the buffer's position
   * and limit are not changed.
   *
   * @throws IndexOutOfBoundsException if fewer than 48 bytes remain
   */
  public static NtpHeader view(ByteBuffer buf) {
    if (buf.remaining() < LENGTH) {
      throw new IndexOutOfBoundsException("need " + LENGTH + " bytes, " + buf.remaining()
          + " remain");
    }
    ByteBuffer d = buf.duplicate();
    d.limit(d.position() + LENGTH);
    return new NtpHeader(d.slice().asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN), false);
  }

  /** An immutable header holding a copy of {@code bytes} (exactly 48 bytes). */
  public static NtpHeader of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("NTP header must be 48 bytes: " + bytes.length);
    }
    return snapshotOf(bytes.clone());
  }

  private static NtpHeader snapshotOf(byte[] owned) {
    return new NtpHeader(ByteBuffer.wrap(owned).asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN),
        true);
  }

  /** An immutable snapshot of this header (returns {@code this} if it already is one). */
  public NtpHeader copy() {
    return snapshot ? this : snapshotOf(toByteArray());
  }

  /** Whether this header is an immutable snapshot rather than a view over a caller's buffer. */
  public boolean isSnapshot() {
    return snapshot;
  }

  /** The 48 bytes (a fresh array). */
  public byte[] toByteArray() {
    byte[] b = new byte[LENGTH];
    buf.get(0, b);
    return b;
  }

  /** Writes the 48 bytes at {@code out}'s position and advances it; allocates nothing. */
  public void writeTo(ByteBuffer out) {
    if (out.remaining() < LENGTH) {
      throw new BufferOverflowException();
    }
    int p = out.position();
    for (int i = 0; i < LENGTH; i++) {
      out.put(p + i, buf.get(i));
    }
    out.position(p + LENGTH);
  }

  /** Leap indicator (0..3). */
  public int leap() {
    return (buf.get(0) >> 6) & 3;
  }

  /** Version number (0..7). */
  public int version() {
    return (buf.get(0) >> 3) & 7;
  }

  /** Mode (0..7). */
  public int mode() {
    return buf.get(0) & 7;
  }

  /** Stratum (0..255). */
  public int stratum() {
    return buf.get(1) & 0xFF;
  }

  /** Poll exponent (signed byte). */
  public int poll() {
    return buf.get(2);
  }

  /** Precision exponent (signed byte). */
  public int precision() {
    return buf.get(3);
  }

  /** Root delay, raw 32-bit NTP short format (unsigned). */
  public long rootDelay() {
    return buf.getInt(4) & 0xFFFFFFFFL;
  }

  /** Root dispersion, raw 32-bit NTP short format (unsigned). */
  public long rootDispersion() {
    return buf.getInt(8) & 0xFFFFFFFFL;
  }

  /** Reference ID (raw 32 bits, unsigned). */
  public long referenceId() {
    return buf.getInt(OFFSET_REFERENCE_ID) & 0xFFFFFFFFL;
  }

  /** Reference timestamp (raw 64-bit NTP value). */
  public long referenceTimestamp() {
    return buf.getLong(OFFSET_REFERENCE_TIMESTAMP);
  }

  /** Origin timestamp (raw 64-bit NTP value). */
  public long originTimestamp() {
    return buf.getLong(OFFSET_ORIGIN_TIMESTAMP);
  }

  /** Receive timestamp (raw 64-bit NTP value). */
  public long receiveTimestamp() {
    return buf.getLong(OFFSET_RECEIVE_TIMESTAMP);
  }

  /** Transmit timestamp (raw 64-bit NTP value). */
  public long transmitTimestamp() {
    return buf.getLong(OFFSET_TRANSMIT_TIMESTAMP);
  }

  /** A builder for a new header (all fields 0 until set). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this header's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.b0 = buf.get(0) & 0xFF;
    b.stratum = stratum();
    b.poll = poll();
    b.precision = precision();
    b.rootDelay = (int) rootDelay();
    b.rootDispersion = (int) rootDispersion();
    b.referenceId = (int) referenceId();
    b.referenceTimestamp = referenceTimestamp();
    b.originTimestamp = originTimestamp();
    b.receiveTimestamp = receiveTimestamp();
    b.transmitTimestamp = transmitTimestamp();
    return b;
  }

  /** Content equality (the 48 bytes). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NtpHeader)) {
      return false;
    }
    return buf.duplicate().clear().equals(((NtpHeader) o).buf.duplicate().clear());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toByteArray());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "NtpHeader[li=%d vn=%d mode=%d stratum=%d poll=%d prec=%d refid=%08x org=%016x xmt=%016x]",
        leap(), version(), mode(), stratum(), poll(), precision(), referenceId(),
        originTimestamp(), transmitTimestamp());
  }

  /**
   * Writes a header: set fields, then {@link #build()} an immutable header or {@link
   * #writeTo(ByteBuffer)} the 48 bytes straight into an output buffer (no allocation).
   */
  public static final class Builder {
    private int b0 = (4 << 3); // leap 0, version 4, mode 0
    private int stratum;
    private int poll;
    private int precision;
    private int rootDelay;
    private int rootDispersion;
    private int referenceId;
    private long referenceTimestamp;
    private long originTimestamp;
    private long receiveTimestamp;
    private long transmitTimestamp;

    private Builder() {}

    private static int check(String what, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + v);
      }
      return v;
    }

    /** Leap indicator 0..3. */
    public Builder leap(int leap) {
      b0 = (b0 & 0x3F) | (check("leap", leap, 0, 3) << 6);
      return this;
    }

    /** Version 0..7 (default 4). */
    public Builder version(int version) {
      b0 = (b0 & 0xC7) | (check("version", version, 0, 7) << 3);
      return this;
    }

    /** Mode 0..7. */
    public Builder mode(int mode) {
      b0 = (b0 & 0xF8) | check("mode", mode, 0, 7);
      return this;
    }

    /** Stratum 0..255. */
    public Builder stratum(int stratum) {
      this.stratum = check("stratum", stratum, 0, 255);
      return this;
    }

    /** Poll exponent -128..127. */
    public Builder poll(int poll) {
      this.poll = check("poll", poll, -128, 127);
      return this;
    }

    /** Precision exponent -128..127. */
    public Builder precision(int precision) {
      this.precision = check("precision", precision, -128, 127);
      return this;
    }

    /** Root delay, raw 32 bits. */
    public Builder rootDelay(long raw) {
      this.rootDelay = (int) raw;
      return this;
    }

    /** Root dispersion, raw 32 bits. */
    public Builder rootDispersion(long raw) {
      this.rootDispersion = (int) raw;
      return this;
    }

    /** Reference ID, raw 32 bits. */
    public Builder referenceId(long raw) {
      this.referenceId = (int) raw;
      return this;
    }

    /** Reference timestamp, raw 64-bit NTP value. */
    public Builder referenceTimestamp(long ntp) {
      this.referenceTimestamp = ntp;
      return this;
    }

    /** Origin timestamp, raw 64-bit NTP value. */
    public Builder originTimestamp(long ntp) {
      this.originTimestamp = ntp;
      return this;
    }

    /** Receive timestamp, raw 64-bit NTP value. */
    public Builder receiveTimestamp(long ntp) {
      this.receiveTimestamp = ntp;
      return this;
    }

    /** Transmit timestamp, raw 64-bit NTP value. */
    public Builder transmitTimestamp(long ntp) {
      this.transmitTimestamp = ntp;
      return this;
    }

    /**
     * Writes the 48 bytes at {@code out}'s position (big-endian regardless of the buffer's order)
     * and advances it; allocates nothing.
     *
     * @throws BufferOverflowException if fewer than 48 bytes remain (nothing is written)
     */
    public void writeTo(ByteBuffer out) {
      if (out.remaining() < LENGTH) {
        throw new BufferOverflowException();
      }
      int p = out.position();
      out.put(p, (byte) b0);
      out.put(p + 1, (byte) stratum);
      out.put(p + 2, (byte) poll);
      out.put(p + 3, (byte) precision);
      Bytes.putInt(out, p + 4, rootDelay);
      Bytes.putInt(out, p + 8, rootDispersion);
      Bytes.putInt(out, p + OFFSET_REFERENCE_ID, referenceId);
      Bytes.putLong(out, p + OFFSET_REFERENCE_TIMESTAMP, referenceTimestamp);
      Bytes.putLong(out, p + OFFSET_ORIGIN_TIMESTAMP, originTimestamp);
      Bytes.putLong(out, p + OFFSET_RECEIVE_TIMESTAMP, receiveTimestamp);
      Bytes.putLong(out, p + OFFSET_TRANSMIT_TIMESTAMP, transmitTimestamp);
      out.position(p + LENGTH);
    }

    /** An immutable header with the values set so far. */
    public NtpHeader build() {
      byte[] b = new byte[LENGTH];
      writeTo(ByteBuffer.wrap(b));
      return snapshotOf(b);
    }
  }
}
