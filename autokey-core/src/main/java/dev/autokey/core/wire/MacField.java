package dev.autokey.core.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The MAC at the end of a packet: a 32-bit key ID followed by the digest. ntpd treats whatever
 * remains after the extension fields as the MAC once 4..24 bytes (a multiple of 4) are left
 * (docs/protocol.md §1.2), so the digest is 0, 4, 8, 12, 16 or 20 bytes: 16 (MD5) and 20 (SHA-1 or a
 * longer digest truncated) are the real ones; 4, 8 and 12 are accepted by ntpd's parser but never
 * verify. A 4-byte MAC with key ID 0 is the crypto-NAK word. Immutable.
 */
public final class MacField {
  /** Largest digest ntpd carries: {@value} bytes. */
  public static final int MAX_DIGEST_LENGTH = 20;
  /** Largest MAC (key ID + digest): {@value} bytes; anything up to this after the fields is the MAC. */
  public static final int MAX_LENGTH = 24;
  /** MD5 digest length: {@value}. */
  public static final int MD5_DIGEST_LENGTH = 16;
  /** SHA-1 (or truncated) digest length: {@value}. */
  public static final int SHA1_DIGEST_LENGTH = 20;
  /** Largest symmetric key ID ({@code NTP_MAXKEY}); Autokey key IDs are above it: {@value}. */
  public static final long NTP_MAXKEY = 65535;

  private static final MacField CRYPTO_NAK = new MacField(0, new byte[0]);

  private final long keyId;
  private final byte[] digest;

  private MacField(long keyId, byte[] digest) {
    this.keyId = keyId;
    this.digest = digest;
  }

  /**
   * A MAC with the given key ID and digest (copied).
   *
   * @throws IllegalArgumentException if the key ID is not unsigned 32-bit or the digest length is
   *     not a multiple of 4 in 0..20
   */
  public static MacField of(long keyId, byte[] digest) {
    ExtensionField.checkU32("key ID", keyId);
    if (digest.length > MAX_DIGEST_LENGTH || digest.length % 4 != 0) {
      throw new IllegalArgumentException("digest length must be a multiple of 4 in 0..20: "
          + digest.length);
    }
    return new MacField(keyId, digest.clone());
  }

  /** The crypto-NAK word (a single zero key ID). */
  public static MacField cryptoNak() {
    return CRYPTO_NAK;
  }

  /** The key ID (unsigned 32 bits). */
  public long keyId() {
    return keyId;
  }

  /** The digest (a copy). */
  public byte[] digest() {
    return digest.clone();
  }

  /** The digest length. */
  public int digestLength() {
    return digest.length;
  }

  /** The encoded length: 4 + digest length. */
  public int length() {
    return 4 + digest.length;
  }

  /** Whether this is the crypto-NAK word: key ID 0 and no digest. */
  public boolean isCryptoNakWord() {
    return keyId == 0 && digest.length == 0;
  }

  /** Whether the key ID is an Autokey session key ID ({@code > 65535}). */
  public boolean isAutokeyKeyId() {
    return keyId > NTP_MAXKEY;
  }

  /** Whether the digest is 16 or 20 bytes (the only lengths that can ever verify). */
  public boolean hasStandardDigestLength() {
    return digest.length == MD5_DIGEST_LENGTH || digest.length == SHA1_DIGEST_LENGTH;
  }

  /** Constant-time comparison of the digest with {@code expected}. */
  public boolean digestMatches(byte[] expected) {
    return MessageDigest.isEqual(digest, expected);
  }

  /** Writes key ID and digest at {@code out}'s position and advances it; allocates nothing. */
  public void writeTo(ByteBuffer out) {
    if (out.remaining() < length()) {
      throw new BufferOverflowException();
    }
    int p = out.position();
    Bytes.putInt(out, p, (int) keyId);
    out.put(p + 4, digest);
    out.position(p + length());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacField && ((MacField) o).keyId == keyId
        && MessageDigest.isEqual(((MacField) o).digest, digest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(keyId) * 31 + digest.length;
  }

  @Override
  public String toString() {
    if (isCryptoNakWord()) {
      return "MacField[crypto-NAK]";
    }
    return String.format(Locale.ROOT, "MacField[key ID %08x, %d-byte digest]", keyId,
        digest.length);
  }
}
