package dev.autokey.core.keys;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.digest.JdkSessionDigests;
import dev.autokey.core.digest.SessionDigest;
import dev.autokey.core.digest.SessionDigestFactory;
import dev.autokey.core.internal.ConstantTimeBytes;
import java.util.Objects;

/**
 * The per-packet Autokey computations for one session digest: session keys and next key IDs
 * (docs/protocol.md §7.1) and the MAC (§7.2).
 *
 * <pre>
 * session key K = H(src || dst || key ID || cookie)      (4+4+4+4 or 16+16+4+4 bytes in)
 * next key ID   = first 4 bytes of K, big-endian
 * MAC field     = key ID || first min(|H|, 20) bytes of H(K || packet[0, macOffset))
 * </pre>
 *
 * <p>Not thread-safe, and meant to be reused: keep one engine per thread or per association (for
 * example {@code ThreadLocal.withInitial(SessionKeyEngine::md5)}). It owns one digest engine and
 * scratch buffers, so {@link #nextKeyId}, {@link #computeMac} and {@link #verifyMac} allocate
 * nothing. Key IDs and cookies are unsigned 32-bit values in {@code int}s; which cookie goes into a
 * key is decided by {@link CookieRules}.
 */
public final class SessionKeyEngine {
  private final SessionDigest digest;
  private final DigestAlgorithm algorithm;
  private final int keyLength;
  private final int macDigestLength;
  private final byte[] input = new byte[40];
  private final byte[] key = new byte[DigestAlgorithm.MAX_LENGTH];
  private final byte[] mac = new byte[DigestAlgorithm.MAX_LENGTH];

  private SessionKeyEngine(SessionDigest digest) {
    this.digest = digest;
    this.algorithm = digest.algorithm();
    this.keyLength = algorithm.length();
    this.macDigestLength = algorithm.macDigestLength();
  }

  /** An engine for ntpd's default session digest, MD5 (every Java SE platform has it). */
  public static SessionKeyEngine md5() {
    try {
      return create(DigestAlgorithm.MD5);
    } catch (AutokeyException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  /**
   * An engine for {@code algorithm} from the JDK's digests.
   *
   * @throws AutokeyException ({@code XEVNT_MD}) if the JDK does not provide it
   */
  public static SessionKeyEngine create(DigestAlgorithm algorithm) throws AutokeyException {
    return create(algorithm, JdkSessionDigests.factory());
  }

  /**
   * An engine for {@code algorithm} from {@code factory} (e.g. the Bouncy Castle factory of
   * autokey-crypto for RIPEMD160).
   *
   * @throws AutokeyException ({@code XEVNT_MD}) if the factory does not provide it
   */
  public static SessionKeyEngine create(DigestAlgorithm algorithm, SessionDigestFactory factory)
      throws AutokeyException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(factory, "factory");
    SessionDigest d = factory.create(algorithm);
    if (d.algorithm() != algorithm || d.length() != algorithm.length()) {
      throw new IllegalArgumentException("factory returned " + d.algorithm() + " for " + algorithm);
    }
    return new SessionKeyEngine(d);
  }

  /** An engine around an existing digest engine (which it then owns). */
  public static SessionKeyEngine of(SessionDigest digest) {
    Objects.requireNonNull(digest, "digest");
    if (digest.length() != digest.algorithm().length()) {
      throw new IllegalArgumentException(digest + " has length " + digest.length());
    }
    return new SessionKeyEngine(digest);
  }

  /** The session digest. */
  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /** Session-key length: the digest length (16 for MD5, 20 for SHA-1). */
  public int keyLength() {
    return keyLength;
  }

  /** Length of the whole MAC field: 4 + min(digest length, 20) (20 for MD5, 24 for SHA-1). */
  public int macLength() {
    return 4 + macDigestLength;
  }

  // ---- session keys ------------------------------------------------------------------------

  /** Hashes (src, dst, keyId, cookie) into {@link #key}; returns the next key ID. */
  private int derive(AddressPair addresses, int keyId, int cookie) {
    int n = addresses.copyPrefix(input, 0);
    KeyIds.writeInt(input, n, keyId);
    KeyIds.writeInt(input, n + 4, cookie);
    digest.update(input, 0, n + 8);
    digest.digest(key, 0);
    return KeyIds.readInt(key, 0);
  }

  /**
   * The next key ID of {@code keyId}: the first 4 bytes of its session key. Allocation-free.
   *
   * @param addresses sender and receiver of the packet the key protects
   * @param keyId the key ID (unsigned)
   * @param cookie the cookie (0, the server cookie or the symmetric cookie; see {@link
   *     CookieRules})
   */
  public int nextKeyId(AddressPair addresses, int keyId, int cookie) {
    Objects.requireNonNull(addresses, "addresses");
    return derive(addresses, keyId, cookie);
  }

  /**
   * {@link #nextKeyId(AddressPair, int, int)} from raw address bytes (both 4 or both 16 bytes,
   * network order). Allocation-free.
   *
   * @throws IllegalArgumentException if the lengths are not both 4 or both 16
   */
  public int nextKeyId(byte[] source, byte[] destination, int keyId, int cookie) {
    return deriveRaw(source, destination, keyId, cookie);
  }

  /** As {@link #derive} from raw address bytes. */
  private int deriveRaw(byte[] source, byte[] destination, int keyId, int cookie) {
    rawInput(source, destination, keyId, cookie);
    int n = source.length * 2 + 8;
    digest.update(input, 0, n);
    digest.digest(key, 0);
    return KeyIds.readInt(key, 0);
  }

  private void rawInput(byte[] source, byte[] destination, int keyId, int cookie) {
    int len = source.length;
    if ((len != 4 && len != 16) || destination.length != len) {
      throw new IllegalArgumentException("addresses must both be 4 or both 16 bytes, not "
          + len + " and " + destination.length);
    }
    System.arraycopy(source, 0, input, 0, len);
    System.arraycopy(destination, 0, input, len, len);
    KeyIds.writeInt(input, 2 * len, keyId);
    KeyIds.writeInt(input, 2 * len + 4, cookie);
  }

  /** The session key for (addresses, keyId, cookie) as a value (allocates the key). */
  public SessionKey sessionKey(AddressPair addresses, int keyId, int cookie) {
    Objects.requireNonNull(addresses, "addresses");
    derive(addresses, keyId, cookie);
    byte[] k = new byte[keyLength];
    System.arraycopy(key, 0, k, 0, keyLength);
    return new SessionKey(algorithm, keyId, k);
  }

  /**
   * Writes the session key for (addresses, keyId, cookie) to {@code out} at {@code offset}
   * ({@link #keyLength()} bytes) and returns the next key ID. Allocation-free.
   */
  public int sessionKey(AddressPair addresses, int keyId, int cookie, byte[] out, int offset) {
    Objects.requireNonNull(addresses, "addresses");
    Objects.checkFromIndexSize(offset, keyLength, out.length);
    int next = derive(addresses, keyId, cookie);
    System.arraycopy(key, 0, out, offset, keyLength);
    return next;
  }

  // ---- MAC ---------------------------------------------------------------------------------

  private void macDigest(byte[] k, int kLen, byte[] packet, int offset, int macOffset) {
    digest.update(k, 0, kLen);
    digest.update(packet, offset, macOffset);
    digest.digest(mac, 0);
  }

  /**
   * Derives the session key for {@code keyId} and writes the MAC field (key ID, then the
   * truncated digest of key || {@code packet[offset, offset+macOffset)}) at {@code
   * offset+macOffset}. Allocation-free.
   *
   * @param macOffset the MAC's offset from {@code offset}: 48 plus the extension-field bytes
   * @return the MAC field length, {@link #macLength()}
   * @throws IndexOutOfBoundsException if the packet has no room for the MAC
   */
  public int computeMac(AddressPair addresses, int keyId, int cookie, byte[] packet, int offset,
      int macOffset) {
    Objects.requireNonNull(addresses, "addresses");
    checkMacRoom(packet, offset, macOffset);
    derive(addresses, keyId, cookie);
    return writeMac(key, keyLength, keyId, packet, offset, macOffset);
  }

  /**
   * {@link #computeMac(AddressPair, int, int, byte[], int, int)} from raw address bytes (both 4 or
   * both 16 bytes, network order; {@code source} is the sender of the packet the MAC protects).
   * Allocation-free: for callers that keep the addresses in their own reusable buffers.
   *
   * @throws IllegalArgumentException if the lengths are not both 4 or both 16
   */
  public int computeMac(byte[] source, byte[] destination, int keyId, int cookie, byte[] packet,
      int offset, int macOffset) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    checkMacRoom(packet, offset, macOffset);
    deriveRaw(source, destination, keyId, cookie);
    return writeMac(key, keyLength, keyId, packet, offset, macOffset);
  }

  /**
   * Writes the MAC field for {@code key} at {@code offset+macOffset} (see {@link
   * #computeMac(AddressPair, int, int, byte[], int, int)}). Allocation-free.
   *
   * @throws IllegalArgumentException if {@code key} was made with another digest
   */
  public int computeMac(SessionKey key, byte[] packet, int offset, int macOffset) {
    checkKey(key);
    checkMacRoom(packet, offset, macOffset);
    return writeMac(key.raw(), keyLength, key.keyId(), packet, offset, macOffset);
  }

  private void checkMacRoom(byte[] packet, int offset, int macOffset) {
    if (macOffset < 0) {
      throw new IndexOutOfBoundsException("negative MAC offset " + macOffset);
    }
    Objects.checkFromIndexSize(offset, macOffset + macLength(), packet.length);
  }

  private int writeMac(byte[] k, int kLen, int keyId, byte[] packet, int offset, int macOffset) {
    macDigest(k, kLen, packet, offset, macOffset);
    KeyIds.writeInt(packet, offset + macOffset, keyId);
    System.arraycopy(mac, 0, packet, offset + macOffset + 4, macDigestLength);
    return 4 + macDigestLength;
  }

  /**
   * Verifies the MAC of the packet {@code packet[offset, offset+length)}: reads the key ID at
   * {@code macOffset}, derives its session key with {@code cookie}, and compares the digest in
   * constant time. The MAC must be exactly {@link #macLength()} bytes, i.e. {@code length ==
   * macOffset + macLength()}. Allocation-free.
   *
   * @param cookie the cookie of the key (see {@link CookieRules#macCookie})
   * @param macOffset where the MAC field starts (48 plus the extension-field bytes)
   */
  public MacResult verifyMac(AddressPair addresses, int cookie, byte[] packet, int offset,
      int length, int macOffset) {
    Objects.requireNonNull(addresses, "addresses");
    MacResult pre = precheck(packet, offset, length, macOffset);
    if (pre != null) {
      return pre;
    }
    int keyId = KeyIds.readInt(packet, offset + macOffset);
    if (!KeyIds.isAutokey(keyId)) {
      return MacResult.NOT_AUTOKEY_KEY_ID;
    }
    derive(addresses, keyId, cookie);
    return compare(key, packet, offset, macOffset);
  }

  /**
   * {@link #verifyMac(AddressPair, int, byte[], int, int, int)} from raw address bytes (both 4 or
   * both 16 bytes, network order; {@code source} is the sender of the packet). Allocation-free.
   *
   * @throws IllegalArgumentException if the lengths are not both 4 or both 16
   */
  public MacResult verifyMac(byte[] source, byte[] destination, int cookie, byte[] packet,
      int offset, int length, int macOffset) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    MacResult pre = precheck(packet, offset, length, macOffset);
    if (pre != null) {
      return pre;
    }
    int keyId = KeyIds.readInt(packet, offset + macOffset);
    if (!KeyIds.isAutokey(keyId)) {
      return MacResult.NOT_AUTOKEY_KEY_ID;
    }
    deriveRaw(source, destination, keyId, cookie);
    return compare(key, packet, offset, macOffset);
  }

  /**
   * Verifies the MAC with a known session key (see {@link #verifyMac(AddressPair, int, byte[],
   * int, int, int)}); the key ID in the packet must equal {@code key.keyId()}.
   */
  public MacResult verifyMac(SessionKey key, byte[] packet, int offset, int length, int macOffset) {
    checkKey(key);
    MacResult pre = precheck(packet, offset, length, macOffset);
    if (pre != null) {
      return pre;
    }
    int keyId = KeyIds.readInt(packet, offset + macOffset);
    if (!KeyIds.isAutokey(keyId)) {
      return MacResult.NOT_AUTOKEY_KEY_ID;
    }
    if (keyId != key.keyId()) {
      return MacResult.MISMATCH;
    }
    return compare(key.raw(), packet, offset, macOffset);
  }

  private MacResult precheck(byte[] packet, int offset, int length, int macOffset) {
    Objects.checkFromIndexSize(offset, length, packet.length);
    if (macOffset < 0 || macOffset > length) {
      throw new IndexOutOfBoundsException("MAC offset " + macOffset + " outside packet of "
          + length + " bytes");
    }
    if (length - macOffset != 4 + macDigestLength) {
      return MacResult.WRONG_LENGTH;
    }
    return null;
  }

  private MacResult compare(byte[] k, byte[] packet, int offset, int macOffset) {
    macDigest(k, keyLength, packet, offset, macOffset);
    return ConstantTimeBytes.equal(mac, 0, packet, offset + macOffset + 4, macDigestLength)
        ? MacResult.VALID
        : MacResult.MISMATCH;
  }

  private void checkKey(SessionKey key) {
    Objects.requireNonNull(key, "key");
    if (key.algorithm() != algorithm) {
      throw new IllegalArgumentException("a " + key.algorithm() + " key given to a " + algorithm
          + " engine");
    }
  }

  @Override
  public String toString() {
    return "SessionKeyEngine[" + algorithm + "]";
  }
}
