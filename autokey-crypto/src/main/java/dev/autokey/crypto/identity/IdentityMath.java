package dev.autokey.crypto.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityScheme;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.MD5Digest;

/** Shared pieces of the three schemes: hashing, challenge coding, bounded integer checks. */
final class IdentityMath {
  /** Largest modulus accepted anywhere (bits). ntp-keygen goes up to 2048. */
  static final int MAX_MODULUS_BITS = 8192;

  /** Length of ntpd's {@code bighash} (MD5). */
  static final int HASH_LENGTH = 16;

  private IdentityMath() {}

  /**
   * ntpd's {@code bighash}: MD5 over the minimal big-endian magnitude of {@code n} (the empty
   * string for 0), as 16 bytes.
   */
  static byte[] bighash(BigInteger n) {
    byte[] m = magnitude(n);
    MD5Digest md5 = new MD5Digest();
    md5.update(m, 0, m.length);
    byte[] out = new byte[HASH_LENGTH];
    md5.doFinal(out, 0);
    return out;
  }

  /** Minimal big-endian magnitude (no sign byte; empty for 0). */
  static byte[] magnitude(BigInteger n) {
    if (n.signum() == 0) {
      return new byte[0];
    }
    byte[] b = n.toByteArray();
    if (b[0] == 0) {
      byte[] c = new byte[b.length - 1];
      System.arraycopy(b, 1, c, 0, c.length);
      return c;
    }
    return b;
  }

  /** {@code n} big-endian, left-padded with zeros to exactly {@code len} bytes. */
  static byte[] fixedLength(BigInteger n, int len) {
    byte[] m = magnitude(n);
    if (m.length > len) {
      throw new IllegalArgumentException("value longer than " + len + " bytes");
    }
    byte[] out = new byte[len];
    System.arraycopy(m, 0, out, len - m.length, m.length);
    return out;
  }

  /** Byte length of a modulus. */
  static int byteLength(BigInteger modulus) {
    return (modulus.bitLength() + 7) / 8;
  }

  /** Uniform in {@code [1, bound)}; bound &ge; 2. */
  static BigInteger uniform(BigInteger bound, SecureRandom random) {
    int bits = bound.bitLength();
    while (true) {
      BigInteger r = new BigInteger(bits, random);
      if (r.signum() > 0 && r.compareTo(bound) < 0) {
        return r;
      }
    }
  }

  /** A fresh challenge: uniform r in [1, modulus), left-padded to the modulus length. */
  static IdentityChallenge challenge(IdentityScheme scheme, BigInteger modulus, SecureRandom random) {
    return new IdentityChallenge(scheme, fixedLength(uniform(modulus, random), byteLength(modulus)));
  }

  /**
   * Reads a received challenge like ntpd (all bytes, unsigned big-endian), after bounding its
   * length by the modulus length and its value to {@code [1, modulus)}.
   */
  static BigInteger readChallenge(String scheme, byte[] value, BigInteger modulus)
      throws AutokeyException {
    int max = byteLength(modulus);
    if (value.length == 0) {
      throw new AutokeyException(XEvent.LEN, scheme + " challenge: empty value");
    }
    if (value.length > max) {
      throw new AutokeyException(XEvent.LEN, String.format(
          "%s challenge: %d bytes exceed the %d-byte modulus", scheme, value.length, max));
    }
    BigInteger r = new BigInteger(1, value);
    if (r.signum() == 0) {
      throw new AutokeyException(XEvent.ID, scheme + " challenge: r = 0");
    }
    if (r.compareTo(modulus) >= 0) {
      throw new AutokeyException(XEvent.ID, scheme + " challenge: r >= modulus");
    }
    return r;
  }

  /** The outstanding challenge as r, checked to belong to {@code scheme}. */
  static BigInteger outstanding(IdentityScheme scheme, IdentityChallenge c, BigInteger modulus)
      throws AutokeyException {
    if (c == null || c.scheme() != scheme) {
      throw new AutokeyException(XEvent.ID, scheme + " response without an outstanding "
          + scheme + " challenge");
    }
    byte[] v = c.value();
    if (v.length != byteLength(modulus)) {
      throw new AutokeyException(XEvent.ID, String.format(
          "%s: outstanding challenge has %d bytes, not the modulus length %d",
          scheme, v.length, byteLength(modulus)));
    }
    return new BigInteger(1, v);
  }

  /** {@code 0 < x < bound}, else {@link XEvent#ID}. */
  static void checkRange(String what, BigInteger x, BigInteger bound) throws AutokeyException {
    if (x.signum() <= 0 || x.compareTo(bound) >= 0) {
      throw new AutokeyException(XEvent.ID, what + " out of range");
    }
  }

  /** Numeric comparison of a received hash INTEGER with a computed 16-byte digest, constant time. */
  static boolean hashEquals(byte[] computed, BigInteger received) {
    byte[] m = magnitude(received);
    if (m.length > HASH_LENGTH) {
      return false;
    }
    byte[] padded = new byte[HASH_LENGTH];
    System.arraycopy(m, 0, padded, HASH_LENGTH - m.length, m.length);
    return MessageDigest.isEqual(computed, padded);
  }

  /** Constant-time equality of two non-negative integers below a modulus of {@code len} bytes. */
  static boolean equalsFixed(BigInteger a, BigInteger b, int len) {
    return MessageDigest.isEqual(fixedLength(a, len), fixedLength(b, len));
  }

  /** Validates a modulus for key construction (caller bug → IllegalArgumentException). */
  static void checkModulus(String what, BigInteger m, int minBits) {
    if (m == null || m.signum() <= 0 || m.bitLength() < minBits) {
      throw new IllegalArgumentException(what + " must be at least " + minBits + " bits");
    }
    if (m.bitLength() > MAX_MODULUS_BITS) {
      throw new IllegalArgumentException(
          what + " has " + m.bitLength() + " bits, limit " + MAX_MODULUS_BITS);
    }
  }

  /** {@code 0 < x < bound} for key construction. */
  static void checkKeyRange(String what, BigInteger x, BigInteger bound) {
    if (x == null || x.signum() <= 0 || x.compareTo(bound) >= 0) {
      throw new IllegalArgumentException(what + " must be in [1, " + bound.bitLength()
          + "-bit bound)");
    }
  }
}
