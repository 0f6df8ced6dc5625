package dev.autokey.core.wire;

import java.nio.ByteBuffer;

/** AUTO values: the first key ID of the sender's key list and its sequence number. */
public record AutoValues(long keyId, long sequence) {
  /** Checks both are unsigned 32-bit values. */
  public AutoValues {
    ExtensionField.checkU32("key ID", keyId);
    ExtensionField.checkU32("sequence", sequence);
  }

  static AutoValues fromBytes(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new AutoValues(Bytes.u32(b, 0), Bytes.u32(b, 4));
  }

  /** The 8-byte value. */
  public byte[] toBytes() {
    byte[] out = new byte[8];
    ByteBuffer b = ByteBuffer.wrap(out);
    Bytes.putInt(b, 0, (int) keyId);
    Bytes.putInt(b, 4, (int) sequence);
    return out;
  }
}
