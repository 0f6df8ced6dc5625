package dev.autokey.crypto.internal.keygen;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The PBES2 settings of a PKCS#8 {@code EncryptedPrivateKeyInfo}: PBKDF2 salt, iteration count and
 * PRF, and the CBC cipher with its IV.
 *
 * <p>ntp-keygen 4.2.8p15 (OpenSSL 1.1.1) uses an 8-byte random salt, 2048 iterations,
 * HMAC-SHA-256 (written explicitly with NULL parameters), no keyLength field, and DES-EDE3-CBC
 * with an 8-byte random IV ({@code -C aes-256-cbc} etc. change the cipher). To reproduce a file
 * byte for byte, pass its salt and IV ({@link #of}); to write a fresh file use {@link
 * #ntpKeygenDefault(SecureRandom)}.
 */
public final class Pbes2Parameters {
  /** ntp-keygen's iteration count. */
  public static final int NTP_KEYGEN_ITERATIONS = 2048;
  /** ntp-keygen's salt length. */
  public static final int NTP_KEYGEN_SALT_LENGTH = 8;
  /** Highest iteration count accepted when reading (bounds the CPU a hostile file can cost). */
  public static final int MAX_ITERATIONS = 1_000_000;
  /** Longest salt accepted. */
  public static final int MAX_SALT_LENGTH = 64;

  /** The CBC ciphers OpenSSL's {@code -C} offers that this library reads and writes. */
  public enum Cipher {
    /** des-ede3-cbc, 1.2.840.113549.3.7, 24-byte key, 8-byte IV: ntp-keygen's default. */
    DES_EDE3_CBC("1.2.840.113549.3.7", "des-ede3-cbc", 24, 8),
    /** aes-128-cbc, 2.16.840.1.101.3.4.1.2. */
    AES_128_CBC("2.16.840.1.101.3.4.1.2", "aes-128-cbc", 16, 16),
    /** aes-192-cbc, 2.16.840.1.101.3.4.1.22. */
    AES_192_CBC("2.16.840.1.101.3.4.1.22", "aes-192-cbc", 24, 16),
    /** aes-256-cbc, 2.16.840.1.101.3.4.1.42. */
    AES_256_CBC("2.16.840.1.101.3.4.1.42", "aes-256-cbc", 32, 16);

    private final String oid;
    private final String opensslName;
    private final int keyLength;
    private final int ivLength;

    Cipher(String oid, String opensslName, int keyLength, int ivLength) {
      this.oid = oid;
      this.opensslName = opensslName;
      this.keyLength = keyLength;
      this.ivLength = ivLength;
    }

    /** The algorithm OID. */
    public String oid() {
      return oid;
    }

    /** The OpenSSL name ({@code -C} argument). */
    public String opensslName() {
      return opensslName;
    }

    /** Key length in bytes. */
    public int keyLength() {
      return keyLength;
    }

    /** IV length in bytes (the block size). */
    public int ivLength() {
      return ivLength;
    }

    /** The cipher for an OID, or null. */
    static Cipher ofOid(String oid) {
      for (Cipher c : values()) {
        if (c.oid.equals(oid)) {
          return c;
        }
      }
      return null;
    }
  }

  /** The PBKDF2 pseudo-random functions read (ntp-keygen writes HMAC-SHA-256). */
  public enum Prf {
    /** hmacWithSHA1, 1.2.840.113549.2.7 (the ASN.1 default when the field is absent). */
    HMAC_SHA1("1.2.840.113549.2.7"),
    /** hmacWithSHA224, 1.2.840.113549.2.8. */
    HMAC_SHA224("1.2.840.113549.2.8"),
    /** hmacWithSHA256, 1.2.840.113549.2.9: ntp-keygen's. */
    HMAC_SHA256("1.2.840.113549.2.9"),
    /** hmacWithSHA384, 1.2.840.113549.2.10. */
    HMAC_SHA384("1.2.840.113549.2.10"),
    /** hmacWithSHA512, 1.2.840.113549.2.11. */
    HMAC_SHA512("1.2.840.113549.2.11");

    private final String oid;

    Prf(String oid) {
      this.oid = oid;
    }

    /** The algorithm OID. */
    public String oid() {
      return oid;
    }

    static Prf ofOid(String oid) {
      for (Prf p : values()) {
        if (p.oid.equals(oid)) {
          return p;
        }
      }
      return null;
    }
  }

  private final byte[] salt;
  private final int iterations;
  private final Prf prf;
  private final Cipher cipher;
  private final byte[] iv;

  private Pbes2Parameters(byte[] salt, int iterations, Prf prf, Cipher cipher, byte[] iv) {
    this.salt = salt.clone();
    this.iterations = iterations;
    this.prf = Objects.requireNonNull(prf, "prf");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.iv = iv.clone();
    if (salt.length < 1 || salt.length > MAX_SALT_LENGTH) {
      throw new IllegalArgumentException(
          "salt length " + salt.length + " not in 1.." + MAX_SALT_LENGTH);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iteration count " + iterations + " not in 1.." + MAX_ITERATIONS);
    }
    if (iv.length != cipher.ivLength()) {
      throw new IllegalArgumentException(
          "IV length " + iv.length + " != " + cipher.ivLength() + " for " + cipher.opensslName());
    }
  }

  /** Explicit parameters (e.g. the salt and IV of an existing file, to reproduce it exactly). */
  public static Pbes2Parameters of(
      byte[] salt, int iterations, Prf prf, Cipher cipher, byte[] iv) {
    return new Pbes2Parameters(
        Objects.requireNonNull(salt, "salt"), iterations, prf, cipher,
        Objects.requireNonNull(iv, "iv"));
  }

  /** ntp-keygen's settings with the given salt and IV: 2048 iterations, HMAC-SHA-256, 3DES. */
  public static Pbes2Parameters ntpKeygen(byte[] salt, byte[] iv) {
    return of(salt, NTP_KEYGEN_ITERATIONS, Prf.HMAC_SHA256, Cipher.DES_EDE3_CBC, iv);
  }

  /** ntp-keygen's settings with a fresh random 8-byte salt and IV. */
  public static Pbes2Parameters ntpKeygenDefault(SecureRandom random) {
    return random(random, Cipher.DES_EDE3_CBC);
  }

  /** ntp-keygen's settings with another cipher ({@code -C}) and fresh random salt and IV. */
  public static Pbes2Parameters random(SecureRandom random, Cipher cipher) {
    byte[] salt = new byte[NTP_KEYGEN_SALT_LENGTH];
    byte[] iv = new byte[cipher.ivLength()];
    random.nextBytes(salt);
    random.nextBytes(iv);
    return of(salt, NTP_KEYGEN_ITERATIONS, Prf.HMAC_SHA256, cipher, iv);
  }

  /** A copy of the salt. */
  public byte[] salt() {
    return salt.clone();
  }

  /** The iteration count. */
  public int iterations() {
    return iterations;
  }

  /** The PBKDF2 PRF. */
  public Prf prf() {
    return prf;
  }

  /** The cipher. */
  public Cipher cipher() {
    return cipher;
  }

  /** A copy of the IV. */
  public byte[] iv() {
    return iv.clone();
  }

  @Override
  public String toString() {
    return "PBES2[PBKDF2-" + prf + ", " + iterations + " iterations, " + salt.length
        + "-byte salt, " + cipher.opensslName() + "]";
  }
}
