package dev.autokey.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CookieCipher;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.crypto.internal.PeerKeys;
import dev.autokey.crypto.internal.RsaOaep;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * {@link CookieCipher} on Bouncy Castle's {@code OAEPEncoding} (SHA-1, MGF1-SHA-1, empty label).
 *
 * <p>The requester's key in a COOK request is checked before any RSA operation (T18): strict DER
 * {@code RSAPublicKey}, modulus {@link #MIN_MODULUS_BITS} bits up to the configured maximum
 * ({@link #MAX_MODULUS_BITS} by default, see {@link #withMaxModulusBits}), odd public exponent
 * 3..2<sup>64</sup>−1 below the modulus, no prime factor up to 743; the policy's key-size rule
 * applies too. The modulus size is read from the encoding before any big integer is built, and
 * the key is used without Bouncy Castle's probable-prime test of the modulus (a requester can
 * always choose a key it can decrypt with, so the test protects nothing and would cost a
 * fresh-key flooder's victim far more than the encryption itself).
 */
public final class BcCookieCipher implements CookieCipher {
  /** Smallest modulus OAEP-SHA-1 can carry a 4-byte cookie in (46 bytes). */
  public static final int MIN_MODULUS_BITS = 368;
  /**
   * Default largest requester modulus accepted (bounds the CPU one request can cost): 4096 bits,
   * twice what ntp-keygen makes (256..2048).
   */
  public static final int MAX_MODULUS_BITS = PeerKeys.DEFAULT_MAX_BITS;
  /** Longest COOK request value parsed (more if the largest modulus is raised above 16,000). */
  public static final int MAX_KEY_DER_LENGTH = 2048;

  private final RSAPrivateCrtKeyParameters hostKey;
  private final byte[] hostPublic;
  private final CryptoPolicy policy;
  private final SecureRandom random;
  private final int maxModulusBits;

  private BcCookieCipher(RSAPrivateCrtKeyParameters hostKey, byte[] hostPublic,
      CryptoPolicy policy, SecureRandom random, int maxModulusBits) {
    this.hostKey = hostKey;
    this.hostPublic = hostPublic;
    this.policy = policy;
    this.random = random;
    this.maxModulusBits = maxModulusBits;
  }

  /**
   * This cipher with another largest requester modulus.
   *
   * @param bits 512..16384
   * @throws IllegalArgumentException outside that range
   */
  public BcCookieCipher withMaxModulusBits(int bits) {
    return new BcCookieCipher(hostKey, hostPublic, policy, random, PeerKeys.checkBound(bits));
  }

  /** The largest requester modulus accepted, bits. */
  public int maxModulusBits() {
    return maxModulusBits;
  }

  /**
   * A cipher holding the host key: decrypts COOK responses and also encrypts (server role).
   *
   * @param hostKey the host's RSA private key (ntpkey_host_*)
   */
  public static BcCookieCipher withHostKey(
      RSAPrivateCrtKey hostKey, CryptoPolicy policy, SecureRandom random) {
    Objects.requireNonNull(hostKey, "hostKey");
    RSAPrivateCrtKeyParameters p =
        new RSAPrivateCrtKeyParameters(
            hostKey.getModulus(), hostKey.getPublicExponent(), hostKey.getPrivateExponent(),
            hostKey.getPrimeP(), hostKey.getPrimeQ(), hostKey.getPrimeExponentP(),
            hostKey.getPrimeExponentQ(), hostKey.getCrtCoefficient());
    byte[] pub;
    try {
      pub = new org.bouncycastle.asn1.pkcs.RSAPublicKey(hostKey.getModulus(), hostKey.getPublicExponent())
          .getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return new BcCookieCipher(p, pub, Objects.requireNonNull(policy),
        Objects.requireNonNull(random), MAX_MODULUS_BITS);
  }

  /** A server-only cipher (no host key): {@link #decrypt} is refused. */
  public static BcCookieCipher serverOnly(CryptoPolicy policy, SecureRandom random) {
    return new BcCookieCipher(null, null, Objects.requireNonNull(policy),
        Objects.requireNonNull(random), MAX_MODULUS_BITS);
  }

  /**
   * Decodes and checks a COOK request value (DER PKCS#1 {@code RSAPublicKey}); private because
   * it returns a Bouncy Castle type, which this module does not export ({@link #encryptWork} and
   * {@link #encrypt} run the same checks).
   *
   * @throws AutokeyException {@code XEVNT_PUB} for anything outside the accepted range
   */
  private RSAKeyParameters requesterKey(byte[] der) throws AutokeyException {
    scan(der);
    org.bouncycastle.asn1.pkcs.RSAPublicKey k;
    try {
      ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
      k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(prim);
      if (!java.util.Arrays.equals(k.getEncoded(ASN1Encoding.DER), der)) {
        throw new AutokeyException(XEvent.PUB, "COOK key is not DER");
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new AutokeyException(XEvent.PUB, "COOK key is not a PKCS#1 RSAPublicKey", e);
    }
    BigInteger n = k.getModulus();
    BigInteger e = k.getPublicExponent();
    policy.checkKeySize(n.bitLength(), "COOK requester key", XEvent.PUB);
    try {
      return PeerKeys.rsaPublic(n, e, 1, maxModulusBits);
    } catch (IllegalArgumentException ex) {
      throw new AutokeyException(XEvent.PUB, "COOK key refused: " + ex.getMessage());
    }
  }

  /** The structural and size checks of a COOK key, from its encoding alone. */
  private PeerKeys.Size scan(byte[] der) throws AutokeyException {
    Objects.requireNonNull(der, "der");
    int limit = Math.max(MAX_KEY_DER_LENGTH, maxModulusBits / 8 + 32);
    if (der.length == 0 || der.length > limit) {
      throw new AutokeyException(XEvent.PUB, "COOK key length " + der.length + " not in 1.."
          + limit);
    }
    return PeerKeys.rsaPkcs1(der, 0, der.length, 1, maxModulusBits, true, XEvent.PUB,
        "COOK key");
  }

  /**
   * The work units of {@link #encrypt} to this key (one RSA public-key operation with the
   * requester's modulus and exponent), after the checks that need no big-integer arithmetic.
   *
   * @throws AutokeyException {@code XEVNT_PUB} for a key outside the accepted range
   */
  @Override
  public double encryptWork(byte[] requesterPublicKey) throws AutokeyException {
    return scan(requesterPublicKey).publicWork();
  }

  @Override
  public byte[] encrypt(int cookie, byte[] requesterPublicKey) throws AutokeyException {
    RSAKeyParameters k = requesterKey(requesterPublicKey);
    if (k.getModulus().bitLength() < MIN_MODULUS_BITS) {
      throw new AutokeyException(
          XEvent.CKY, "modulus of " + k.getModulus().bitLength() + " bits too small for OAEP");
    }
    byte[] msg = {(byte) (cookie >>> 24), (byte) (cookie >>> 16), (byte) (cookie >>> 8), (byte) cookie};
    try {
      return RsaOaep.encrypt(k, msg, null, random);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new AutokeyException(XEvent.CKY, "cookie encryption failed", e);
    }
  }

  @Override
  public int decrypt(byte[] ciphertext) throws AutokeyException {
    if (hostKey == null) {
      throw new AutokeyException(XEvent.CKY, "no host key to decrypt cookies");
    }
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length != ciphertextLength()) {
      throw new AutokeyException(
          XEvent.CKY, "cookie ciphertext length " + ciphertext.length + " != " + ciphertextLength());
    }
    byte[] pt;
    try {
      pt = RsaOaep.decrypt(hostKey, ciphertext, null, random);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new AutokeyException(XEvent.CKY, "cookie does not decrypt");
    }
    if (pt.length != COOKIE_LENGTH) {
      java.util.Arrays.fill(pt, (byte) 0);
      throw new AutokeyException(
          XEvent.CKY, "decrypted cookie has " + pt.length + " bytes, not " + COOKIE_LENGTH);
    }
    return ((pt[0] & 0xff) << 24) | ((pt[1] & 0xff) << 16) | ((pt[2] & 0xff) << 8) | (pt[3] & 0xff);
  }

  @Override
  public int ciphertextLength() {
    return hostKey == null ? 0 : (hostKey.getModulus().bitLength() + 7) / 8;
  }

  @Override
  public byte[] publicKeyPkcs1() {
    if (hostPublic == null) {
      throw new IllegalStateException("server-only cookie cipher has no host key");
    }
    return hostPublic.clone();
  }

  /** The host key as a JCA public key, or null for a server-only cipher. */
  RSAPublicKey hostPublicKey() throws java.security.GeneralSecurityException {
    if (hostKey == null) {
      return null;
    }
    return (RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
        .generatePublic(new java.security.spec.RSAPublicKeySpec(hostKey.getModulus(), hostKey.getExponent()));
  }

  @Override
  public String toString() {
    return hostKey == null ? "BcCookieCipher[server only]"
        : "BcCookieCipher[" + hostKey.getModulus().bitLength() + "-bit host key]";
  }
}
