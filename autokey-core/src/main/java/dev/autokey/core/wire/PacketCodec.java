package dev.autokey.core.wire;

import dev.autokey.core.XEvent;
import dev.autokey.core.wire.MalformedPacketException.Reason;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes whole UDP payloads into {@link AutokeyPacket}s and encodes them back, byte for byte as
 * ntpd 4.2.8p15 lays them out. Thread-safe and stateless apart from its {@link DecodeLimits}.
 *
 * <p><b>What decoding checks.</b> All of ntpd's first parse pass ({@code receive}, docs/protocol.md
 * §1.2) except the ASSOC group pre-check, which depends on local configuration and is {@link
 * PacketChecks#assocGroupPreCheck}; every failure of that pass (ntpd drops the packet silently)
 * is {@link XEvent#LEN}. Then, per field, the structural checks of ntpd's second pass and of
 * {@code crypto_verify} (§1.3, §5.2 step 3): length 4 is {@link XEvent#ERR} (ntpd treats fields
 * shorter than 8 as protocol errors); in the value form, {@code vallen} 0 or {@code vallen >
 * length - 24}, {@code siglen > 65511} or a padded signature that does not fit are {@link
 * XEvent#LEN}. ntpd applies the signature-length checks only to responses it verifies; this
 * decoder applies them to every field (stricter, never triggered by what ntpd sends). The
 * datagram limit is checked before anything else (docs/security.md T39), every length is bounded before
 * anything is allocated, and no allocation exceeds the datagram's length.
 *
 * <p><b>What decoding does not check</b> (the caller's job, helpers in {@link PacketChecks} and
 * {@link ExtensionField}): the version (ntpd: ERR, but a server echoes it in its error reply),
 * the E bit, unknown opcodes (kept, as ntpd's server answers them with an error response), the
 * per-message value rules (typed accessors), the MAC length and key ID (ntpd answers a 12-byte MAC
 * with a crypto-NAK), the header's mode, version and timestamps.
 *
 * <p>Bytes after the header are read as ntpd reads them: while more than 24 bytes remain, the
 * next field starts; once 4..24 bytes (a multiple of 4) remain, they are the MAC.
 */
public final class PacketCodec {
  private static final PacketCodec NTPD = new PacketCodec(DecodeLimits.ntpd());

  private final DecodeLimits limits;

  private PacketCodec(DecodeLimits limits) {
    this.limits = limits;
  }

  /** A codec with ntpd's limits. */
  public static PacketCodec ntpd() {
    return NTPD;
  }

  /** A codec with the given limits. */
  public static PacketCodec withLimits(DecodeLimits limits) {
    return new PacketCodec(Objects.requireNonNull(limits, "limits"));
  }

  /** The limits this codec enforces. */
  public DecodeLimits limits() {
    return limits;
  }

  /** Decodes the whole array as one UDP payload. */
  public AutokeyPacket decode(byte[] datagram) throws MalformedPacketException {
    return decode(datagram, 0, datagram.length);
  }

  /**
   * Decodes {@code buf[off, off + len)} as one UDP payload.
   *
   * @throws MalformedPacketException for any malformed input
   * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not describe a range of {@code
   *     buf} (a caller bug, not bad input)
   */
  public AutokeyPacket decode(byte[] buf, int off, int len) throws MalformedPacketException {
    Objects.checkFromIndexSize(off, len, buf.length);
    return decodeSlice(ByteBuffer.wrap(buf, off, len).slice(), len);
  }

  /**
   * Decodes the bytes between {@code buf}'s position and limit as one UDP payload; the buffer's
   * position is not changed.
   */
  public AutokeyPacket decode(ByteBuffer buf) throws MalformedPacketException {
    ByteBuffer s = buf.duplicate().slice();
    return decodeSlice(s, s.remaining());
  }

  private AutokeyPacket decodeSlice(ByteBuffer b, int len) throws MalformedPacketException {
    b.order(ByteOrder.BIG_ENDIAN);
    if (len > limits.maxDatagramLength()) {
      throw new MalformedPacketException(XEvent.LEN, Reason.DATAGRAM_TOO_LONG,
          "datagram longer than the limit", len, limits.maxDatagramLength());
    }
    if (len < NtpHeader.LENGTH) {
      throw new MalformedPacketException(XEvent.LEN, Reason.DATAGRAM_TOO_SHORT,
          "datagram shorter than the NTP header", len, NtpHeader.LENGTH);
    }
    // First pass (ntpd receive): find field boundaries and the MAC; any failure drops the packet.
    int[] offsets = new int[Math.min(limits.maxFields(), (len - NtpHeader.LENGTH) / 4) + 1];
    int count = 0;
    int off = NtpHeader.LENGTH;
    int rem = len - off;
    boolean hasMac = false;
    while (rem > 0) {
      if (rem % 4 != 0 || rem < 4) {
        throw new MalformedPacketException(XEvent.LEN, Reason.BAD_REMAINDER,
            "bytes left at offset " + off + " are neither a field nor a MAC", rem, 4);
      }
      if (rem <= MacField.MAX_LENGTH) {
        hasMac = true;
        break;
      }
      long word = Bytes.u32(b, off);
      int flen = (int) (word & 0xFFFF);
      if (flen % 4 != 0) {
        throw fieldError(XEvent.LEN, Reason.FIELD_LENGTH_NOT_ALIGNED,
            "field length not a multiple of 4", flen, 4, count, off, b);
      }
      if (flen < 4) {
        throw fieldError(XEvent.LEN, Reason.FIELD_TOO_SHORT, "field length 0", flen, 4, count,
            off, b);
      }
      if (flen > rem) {
        throw fieldError(XEvent.LEN, Reason.FIELD_BEYOND_DATAGRAM,
            "field longer than the bytes left", flen, rem, count, off, b);
      }
      if (flen > limits.maxFieldLength()) {
        throw fieldError(XEvent.LEN, Reason.FIELD_TOO_LONG, "field longer than the limit", flen,
            limits.maxFieldLength(), count, off, b);
      }
      if (count >= limits.maxFields()) {
        throw fieldError(XEvent.LEN, Reason.TOO_MANY_FIELDS, "more fields than the limit",
            count + 1L, limits.maxFields(), count, off, b);
      }
      offsets[count++] = off;
      off += flen;
      rem -= flen;
    }
    // Second pass: parse each field (lengths are now known to lie inside the datagram).
    NtpHeader header = NtpHeader.of(Bytes.get(b, 0, NtpHeader.LENGTH));
    List<ExtensionField> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      fields.add(parseField(b, offsets[i], i));
    }
    MacField mac = null;
    if (hasMac) {
      mac = MacField.of(Bytes.u32(b, off), Bytes.get(b, off + 4, len - off - 4));
    }
    return AutokeyPacket.of(header, fields, mac);
  }

  private static MalformedPacketException fieldError(XEvent e, Reason r, String msg, long value,
      long limit, int index, int off, ByteBuffer b) {
    long word = Bytes.u32(b, off);
    long assoc = off + 8 <= b.limit() ? Bytes.u32(b, off + 4) : -1;
    return new MalformedPacketException(e, r, msg, value, limit, index, off, word, assoc);
  }

  private ExtensionField parseField(ByteBuffer b, int off, int index)
      throws MalformedPacketException {
    long word = Bytes.u32(b, off);
    int flen = (int) (word & 0xFFFF);
    if (flen < ExtensionField.HEADER_LENGTH) {
      // ntpd's second pass marks a field shorter than 8 as an error: XEVNT_ERR.
      throw fieldError(XEvent.ERR, Reason.FIELD_TOO_SHORT, "field shorter than 8 bytes", flen,
          ExtensionField.HEADER_LENGTH, index, off, b);
    }
    ExtensionField.Builder f = ExtensionField.builder()
        .response((word & 0x80000000L) != 0)
        .error((word & 0x40000000L) != 0)
        .version((int) ((word >>> 24) & 0x3F))
        .opcode(Opcode.valueOf((int) ((word >>> 16) & 0xFF)))
        .associationId(Bytes.u32(b, off + 4));
    int end = off + flen;
    if (flen < ExtensionField.VALUE_FORM_MIN_LENGTH) {
      return f.trailer(Bytes.get(b, off + 8, flen - 8)).build();
    }
    long vallen = Bytes.u32(b, off + 16);
    if (vallen == 0) {
      throw fieldError(XEvent.LEN, Reason.VALUE_LENGTH_ZERO, "value form with vallen 0", 0, 1,
          index, off, b);
    }
    long room = flen - ExtensionField.VALUE_FORM_MIN_LENGTH;
    if (vallen > room) {
      throw fieldError(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, "vallen beyond the field", vallen,
          room, index, off, b);
    }
    if (vallen > limits.maxValueLength()) {
      throw fieldError(XEvent.LEN, Reason.VALUE_TOO_LONG, "vallen above the limit", vallen,
          limits.maxValueLength(), index, off, b);
    }
    long pv = Bytes.pad4(vallen); // <= room, since room is a multiple of 4
    int sigOff = (int) (off + 20 + pv);
    long siglen = Bytes.u32(b, sigOff);
    if (siglen > limits.maxSignatureLength()) {
      throw fieldError(XEvent.LEN, Reason.SIGNATURE_TOO_LONG, "siglen above the limit", siglen,
          limits.maxSignatureLength(), index, off, b);
    }
    long ps = Bytes.pad4(siglen);
    if (ps > room - pv) {
      throw fieldError(XEvent.LEN, Reason.SIGNATURE_LENGTH_OVERRUN,
          "padded signature beyond the field", siglen, room - pv, index, off, b);
    }
    int v = (int) vallen;
    int s = (int) siglen;
    int valOff = off + 20;
    int sigData = sigOff + 4;
    int trailerOff = (int) (sigData + ps);
    f.valueForm(Bytes.u32(b, off + 8), Bytes.u32(b, off + 12), Bytes.get(b, valOff, v),
        Bytes.get(b, sigData, s));
    f.valuePadding(Bytes.get(b, valOff + v, (int) (pv - v)));
    f.signaturePadding(Bytes.get(b, sigData + s, (int) (ps - s)));
    f.trailer(Bytes.get(b, trailerOff, end - trailerOff));
    return f.build();
  }

  /**
   * Writes {@code packet} at {@code out}'s position and advances it; allocates nothing.
   *
   * @return the number of bytes written
   * @throws BufferOverflowException if fewer than {@link AutokeyPacket#encodedLength()} bytes
   *     remain (nothing is written)
   */
  public int encode(AutokeyPacket packet, ByteBuffer out) {
    int n = packet.encodedLength();
    if (out.remaining() < n) {
      throw new BufferOverflowException();
    }
    packet.writeTo(out);
    return n;
  }

  /** The encoded packet as a fresh array. */
  public byte[] encode(AutokeyPacket packet) {
    byte[] b = new byte[packet.encodedLength()];
    packet.writeTo(ByteBuffer.wrap(b));
    return b;
  }
}
