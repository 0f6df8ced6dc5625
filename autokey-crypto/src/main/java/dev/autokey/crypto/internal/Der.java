package dev.autokey.crypto.internal;

/** A minimal, bounds-checked DER TLV reader (definite lengths, single-byte tags). */
public final class Der {
  private Der() {}

  /**
   * One TLV.
   *
   * @param tag the tag byte
   * @param offset start of the TLV
   * @param headerLength tag + length bytes
   * @param contentLength content bytes
   */
  public record Tlv(int tag, int offset, int headerLength, int contentLength) {
    /** Offset just after the TLV. */
    public int end() {
      return offset + headerLength + contentLength;
    }

    /** Offset of the content. */
    public int contentOffset() {
      return offset + headerLength;
    }

    /** Total length. */
    public int totalLength() {
      return headerLength + contentLength;
    }
  }

  /**
   * Reads the TLV at {@code off}, which must end at or before {@code limit}.
   *
   * @throws IllegalArgumentException when malformed or out of bounds
   */
  public static Tlv read(byte[] b, int off, int limit) {
    if (off < 0 || limit > b.length || off + 2 > limit) {
      throw new IllegalArgumentException("DER truncated at " + off);
    }
    int tag = b[off] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new IllegalArgumentException("multi-byte DER tag at " + off);
    }
    int l0 = b[off + 1] & 0xff;
    int hdr;
    long len;
    if (l0 < 0x80) {
      hdr = 2;
      len = l0;
    } else if (l0 == 0x80) {
      throw new IllegalArgumentException("indefinite length at " + off);
    } else {
      int n = l0 & 0x7f;
      if (n > 4 || off + 2 + n > limit) {
        throw new IllegalArgumentException("bad DER length at " + off);
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[off + 2 + i] & 0xff);
      }
      hdr = 2 + n;
    }
    if (len > limit - off - hdr) {
      throw new IllegalArgumentException(
          "DER length " + len + " at " + off + " exceeds the " + (limit - off - hdr) + " bytes left");
    }
    return new Tlv(tag, off, hdr, (int) len);
  }

  /** The content bytes of a TLV. */
  public static byte[] content(byte[] b, Tlv t) {
    byte[] out = new byte[t.contentLength()];
    System.arraycopy(b, t.contentOffset(), out, 0, out.length);
    return out;
  }

  /** The whole TLV bytes. */
  public static byte[] whole(byte[] b, Tlv t) {
    byte[] out = new byte[t.totalLength()];
    System.arraycopy(b, t.offset(), out, 0, out.length);
    return out;
  }
}
