package dev.autokey.core.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Autokey packet, immutable: the 48-byte NTP header, the extension fields in wire order and
 * the MAC, if any (docs/protocol.md §1.1):
 *
 * <pre>
 *  0      48     NTP header
 *  48     ...    extension fields
 *  A      4      MAC key ID       A = macOffset() = 48 + sum of field lengths
 *  A+4    d      digest (16 or 20)
 * </pre>
 */
public final class AutokeyPacket {
  private final NtpHeader header;
  private final List<ExtensionField> fields;
  private final MacField mac;
  private final int macOffset;

  private AutokeyPacket(NtpHeader header, List<ExtensionField> fields, MacField mac) {
    this.header = header.copy();
    this.fields = List.copyOf(fields);
    this.mac = mac;
    int a = NtpHeader.LENGTH;
    for (ExtensionField f : this.fields) {
      a += f.length();
    }
    this.macOffset = a;
  }

  /**
   * A packet with the given header, fields and MAC ({@code mac} may be null for none).
   *
   * @throws IllegalArgumentException if the last field plus the MAC are 24 bytes or less: ntpd
   *     (and {@link PacketCodec}) would read those bytes back as a MAC, so the packet has no
   *     faithful encoding (e.g. an 8-byte field followed by a 4-byte MAC)
   */
  public static AutokeyPacket of(NtpHeader header, List<ExtensionField> fields, MacField mac) {
    Objects.requireNonNull(header, "header");
    for (ExtensionField f : Objects.requireNonNull(fields, "fields")) {
      Objects.requireNonNull(f, "field");
    }
    checkEncodable(fields, mac);
    return new AutokeyPacket(header, fields, mac);
  }

  private static void checkEncodable(List<ExtensionField> fields, MacField mac) {
    if (!fields.isEmpty()) {
      int tail = fields.get(fields.size() - 1).length() + (mac == null ? 0 : mac.length());
      if (tail <= MacField.MAX_LENGTH) {
        throw new IllegalArgumentException("last field and MAC are " + tail
            + " bytes: a receiver reads 24 bytes or less after the fields as the MAC");
      }
    }
  }

  /** A crypto-NAK: the header followed by a single zero word (52 bytes). */
  public static AutokeyPacket cryptoNak(NtpHeader header) {
    return new AutokeyPacket(header, List.of(), MacField.cryptoNak());
  }

  /** The header (an immutable snapshot). */
  public NtpHeader header() {
    return header;
  }

  /** The extension fields in wire order (unmodifiable). */
  public List<ExtensionField> fields() {
    return fields;
  }

  /** The MAC, if the packet has one (a crypto-NAK's MAC is the zero key-ID word). */
  public Optional<MacField> mac() {
    return Optional.ofNullable(mac);
  }

  /**
   * Whether this is a crypto-NAK as ntpd recognises one: exactly 48 + 4 bytes, key ID 0. Whether it
   * may be acted on (mode, association, origin timestamp) is for the caller (docs/security.md T31).
   */
  public boolean isCryptoNak() {
    return fields.isEmpty() && mac != null && mac.isCryptoNakWord();
  }

  /**
   * ntpd's {@code authlen}: the offset of the MAC, i.e. the number of leading bytes (header plus
   * every extension field) the MAC digest covers.
   */
  public int macOffset() {
    return macOffset;
  }

  /** The encoded length in bytes. */
  public int encodedLength() {
    return macOffset + (mac == null ? 0 : mac.length());
  }

  /** This packet with another MAC ({@code null} for none). */
  public AutokeyPacket withMac(MacField mac) {
    checkEncodable(fields, mac);
    return new AutokeyPacket(header, fields, mac);
  }

  /** The first {@link #macOffset()} bytes as encoded: the input of the MAC digest. */
  public byte[] macInput() {
    byte[] out = new byte[macOffset];
    ByteBuffer b = ByteBuffer.wrap(out);
    header.writeTo(b);
    for (ExtensionField f : fields) {
      f.writeTo(b);
    }
    return out;
  }

  /**
   * Writes the packet at {@code out}'s position and advances it; allocates nothing.
   *
   * @throws BufferOverflowException if fewer than {@link #encodedLength()} bytes remain (nothing
   *     is written then)
   */
  public void writeTo(ByteBuffer out) {
    if (out.remaining() < encodedLength()) {
      throw new BufferOverflowException();
    }
    header.writeTo(out);
    for (int i = 0; i < fields.size(); i++) { // indexed: no iterator allocation
      fields.get(i).writeTo(out);
    }
    if (mac != null) {
      mac.writeTo(out);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AutokeyPacket)) {
      return false;
    }
    AutokeyPacket p = (AutokeyPacket) o;
    return header.equals(p.header) && fields.equals(p.fields) && Objects.equals(mac, p.mac);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, fields, mac);
  }

  @Override
  public String toString() {
    return "AutokeyPacket[" + header + ", fields " + fields + ", "
        + (mac == null ? "no MAC" : mac.toString()) + "]";
  }
}
