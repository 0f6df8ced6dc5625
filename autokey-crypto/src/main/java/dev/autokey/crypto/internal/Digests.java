package dev.autokey.crypto.internal;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHA512tDigest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.digests.SM3Digest;

/** Bouncy Castle digests by OpenSSL short name, and DigestInfo OIDs for PKCS#1 v1.5. */
public final class Digests {
  private Digests() {}

  private static final Map<String, Supplier<Digest>> BY_NAME =
      Map.ofEntries(
          Map.entry("MD4", MD4Digest::new),
          Map.entry("MD5", MD5Digest::new),
          Map.entry("SHA1", SHA1Digest::new),
          Map.entry("SHA224", SHA224Digest::new),
          Map.entry("SHA256", SHA256Digest::newInstance),
          Map.entry("SHA384", SHA384Digest::new),
          Map.entry("SHA512", SHA512Digest::new),
          Map.entry("SHA512-224", () -> new SHA512tDigest(224)),
          Map.entry("SHA512-256", () -> new SHA512tDigest(256)),
          Map.entry("SHA3-224", () -> new SHA3Digest(224)),
          Map.entry("SHA3-256", () -> new SHA3Digest(256)),
          Map.entry("SHA3-384", () -> new SHA3Digest(384)),
          Map.entry("SHA3-512", () -> new SHA3Digest(512)),
          Map.entry("SHAKE128", () -> new FixedShake(128, 16)),
          Map.entry("SHAKE256", () -> new FixedShake(256, 32)),
          Map.entry("RIPEMD160", RIPEMD160Digest::new),
          Map.entry("SM3", SM3Digest::new),
          Map.entry("MD5-SHA1", Md5Sha1::new));

  private static final Map<String, String> DIGEST_INFO_OID =
      Map.of(
          "MD5", "1.2.840.113549.2.5",
          "SHA1", "1.3.14.3.2.26",
          "SHA224", "2.16.840.1.101.3.4.2.4",
          "SHA256", "2.16.840.1.101.3.4.2.1",
          "SHA384", "2.16.840.1.101.3.4.2.2",
          "SHA512", "2.16.840.1.101.3.4.2.3",
          "RIPEMD160", "1.3.36.3.2.1");

  /** Whether a digest of that (upper-case OpenSSL short) name exists. */
  public static boolean has(String name) {
    return BY_NAME.containsKey(name.toUpperCase(Locale.ROOT));
  }

  /** A fresh digest by OpenSSL short name (case-insensitive). */
  public static Digest create(String name) {
    Supplier<Digest> s = BY_NAME.get(name.toUpperCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unsupported digest " + name);
    }
    return s.get();
  }

  /** The DigestInfo algorithm OID for PKCS#1 v1.5 signatures, or null. */
  public static String digestInfoOid(String name) {
    return DIGEST_INFO_OID.get(name.toUpperCase(Locale.ROOT));
  }

  /** One-shot digest of the concatenation of the parts. */
  public static byte[] digest(String name, byte[]... parts) {
    Digest d = create(name);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** SHAKE with OpenSSL's default output length (EVP_MD_size: 16 / 32 bytes). */
  static final class FixedShake implements Digest {
    private final SHAKEDigest d;
    private final int size;

    FixedShake(int bits, int size) {
      this.d = new SHAKEDigest(bits);
      this.size = size;
    }

    @Override
    public String getAlgorithmName() {
      return d.getAlgorithmName();
    }

    @Override
    public int getDigestSize() {
      return size;
    }

    @Override
    public void update(byte in) {
      d.update(in);
    }

    @Override
    public void update(byte[] in, int off, int len) {
      d.update(in, off, len);
    }

    @Override
    public int doFinal(byte[] out, int off) {
      return d.doFinal(out, off, size);
    }

    @Override
    public void reset() {
      d.reset();
    }
  }

  /** OpenSSL's MD5-SHA1: MD5 ‖ SHA-1 of the same input, 36 bytes. */
  static final class Md5Sha1 implements Digest {
    private final MD5Digest md5 = new MD5Digest();
    private final SHA1Digest sha1 = new SHA1Digest();

    @Override
    public String getAlgorithmName() {
      return "MD5-SHA1";
    }

    @Override
    public int getDigestSize() {
      return 36;
    }

    @Override
    public void update(byte in) {
      md5.update(in);
      sha1.update(in);
    }

    @Override
    public void update(byte[] in, int off, int len) {
      md5.update(in, off, len);
      sha1.update(in, off, len);
    }

    @Override
    public int doFinal(byte[] out, int off) {
      md5.doFinal(out, off);
      sha1.doFinal(out, off + 16);
      return 36;
    }

    @Override
    public void reset() {
      md5.reset();
      sha1.reset();
    }
  }
}
