package dev.autokey.core.keys;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * The autokey values a key list publishes (docs/protocol.md §7.4, the AUTO response value): the key
 * ID following the last list entry and that entry's index. Signed and sent in the clear, so not
 * secret. The 8-byte encoding is the AUTO value: key ID, then sequence, both big-endian.
 *
 * @param keyId the next key ID of the last list entry (unsigned)
 * @param sequence the index of the last list entry (0..99 from this library; any unsigned value
 *     from the wire)
 */
public record AutokeyValues(int keyId, int sequence) {
  /** Length of the encoded values. */
  public static final int LENGTH = 8;

  /** The 8-byte AUTO value. */
  public byte[] encode() {
    byte[] b = new byte[LENGTH];
    encodeTo(b, 0);
    return b;
  }

  /** Writes the 8-byte AUTO value at {@code offset}. */
  public void encodeTo(byte[] out, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, out.length);
    KeyIds.writeInt(out, offset, keyId);
    KeyIds.writeInt(out, offset + 4, sequence);
  }

  /**
   * Decodes an AUTO value.
   *
   * @throws AutokeyException ({@code XEVNT_LEN}) unless {@code value} has exactly 8 bytes
   */
  public static AutokeyValues decode(byte[] value) throws AutokeyException {
    Objects.requireNonNull(value, "value");
    if (value.length != LENGTH) {
      throw new AutokeyException(XEvent.LEN,
          "autokey value has " + value.length + " bytes, expected " + LENGTH);
    }
    return new AutokeyValues(KeyIds.readInt(value, 0), KeyIds.readInt(value, 4));
  }

  @Override
  public String toString() {
    return "AutokeyValues[key " + KeyIds.hex(keyId) + ", seq " + Integer.toUnsignedString(sequence)
        + "]";
  }
}
