package dev.autokey.core.crypto;

/**
 * The MAC of ntpd's symmetric-key authentication for one key: {@code Digest(key ‖ packet)}
 * truncated to 20 bytes for digest types, AES-128-CMAC for {@code AES128CMAC}
 * (docs/protocol.md §7.2, ntpd {@code a_md5encrypt.c: make_mac}). The MAC field on the wire is the
 * 4-byte key ID followed by {@link #macLength()} bytes.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SymmetricMac {
  /** Longest digest part of a MAC field (ntpd's {@code MAX_MDG_LEN}). */
  int MAX_MAC_LENGTH = 20;

  /** The key ID. */
  int keyId();

  /** Digest bytes after truncation: 16 for MD5 and CMAC, 20 for SHA-1 and longer digests. */
  int macLength();

  /** Computes the MAC of {@code data[off, off+len)} (the packet up to the MAC field). */
  byte[] compute(byte[] data, int off, int len);

  /**
   * Whether {@code mac} is the MAC of the data: length must be exactly {@link #macLength()},
   * compared in constant time.
   */
  boolean verify(byte[] data, int off, int len, byte[] mac);
}
