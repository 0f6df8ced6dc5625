package dev.autokey.core.digest;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The session digests ntpd accepts for {@code crypto digest NAME}: the digest of session keys,
 * key IDs, server cookies and the MACs of Autokey packets (docs/protocol.md §7, §12.1). All parties
 * must agree on it; it is not negotiated and never appears on the wire.
 *
 * <p>ntpd 4.2.8p15 resolves the configured name with OpenSSL's {@code OBJ_sn2nid} (exact,
 * case-sensitive short name; an unknown name is logged and MD5 stays in force) and hashes with
 * {@code EVP_get_digestbynid}. The set below is every digest OpenSSL 1.1.1 (the library of the
 * reference build, Debian bullseye libssl1.1 1.1.1w) registers, with its OpenSSL NID, its short
 * name and its output length; {@link #inReferenceBuild()} is false for the two digests OpenSSL
 * knows but that build does not enable (MD2: disabled by default since OpenSSL 1.0.0; MDC2:
 * disabled by Debian's build flags). SHA-0 ({@code SHA}, NID 41) no longer exists in OpenSSL 1.1.
 *
 * <p>Which implementations are available is a property of the {@link SessionDigestFactory}:
 * {@link JdkSessionDigests} provides {@link #jdkSupported() the JDK's digests}; the others (MD4,
 * MDC2, RIPEMD160, whirlpool, SM3, BLAKE2, SHAKE) need a Bouncy Castle factory from
 * {@code autokey-crypto}.
 */
public enum DigestAlgorithm {
  /** MD2 (NID 3). Not enabled in OpenSSL 1.1.1 default builds, so not in the reference ntpd. */
  MD2(3, "MD2", 16, "MD2", false),
  /** MD4 (NID 257). */
  MD4(257, "MD4", 16, null, true),
  /** MD5 (NID 4), ntpd's default session digest. */
  MD5(4, "MD5", 16, "MD5", true),
  /** MD5 followed by SHA-1 of the same input, 36 bytes (NID 114, OpenSSL's TLS 1.0 PRF digest). */
  MD5_SHA1(114, "MD5-SHA1", 36, null, true),
  /** MDC2 (NID 95). Not enabled in Debian's OpenSSL builds, so not in the reference ntpd. */
  MDC2(95, "MDC2", 16, null, false),
  /** RIPEMD-160 (NID 117). */
  RIPEMD160(117, "RIPEMD160", 20, null, true),
  /** SHA-1 (NID 64). */
  SHA1(64, "SHA1", 20, "SHA-1", true),
  /** SHA-224 (NID 675). */
  SHA224(675, "SHA224", 28, "SHA-224", true),
  /** SHA-256 (NID 672). */
  SHA256(672, "SHA256", 32, "SHA-256", true),
  /** SHA-384 (NID 673). */
  SHA384(673, "SHA384", 48, "SHA-384", true),
  /** SHA-512 (NID 674). */
  SHA512(674, "SHA512", 64, "SHA-512", true),
  /** SHA-512/224 (NID 1094). */
  SHA512_224(1094, "SHA512-224", 28, "SHA-512/224", true),
  /** SHA-512/256 (NID 1095). */
  SHA512_256(1095, "SHA512-256", 32, "SHA-512/256", true),
  /** SHA3-224 (NID 1096). */
  SHA3_224(1096, "SHA3-224", 28, "SHA3-224", true),
  /** SHA3-256 (NID 1097). */
  SHA3_256(1097, "SHA3-256", 32, "SHA3-256", true),
  /** SHA3-384 (NID 1098). */
  SHA3_384(1098, "SHA3-384", 48, "SHA3-384", true),
  /** SHA3-512 (NID 1099). */
  SHA3_512(1099, "SHA3-512", 64, "SHA3-512", true),
  /** SHAKE128 with OpenSSL's default output of 16 bytes (NID 1100). */
  SHAKE128(1100, "SHAKE128", 16, null, true),
  /** SHAKE256 with OpenSSL's default output of 32 bytes (NID 1101). */
  SHAKE256(1101, "SHAKE256", 32, null, true),
  /** BLAKE2b-512 (NID 1056). */
  BLAKE2B512(1056, "BLAKE2b512", 64, null, true),
  /** BLAKE2s-256 (NID 1057). */
  BLAKE2S256(1057, "BLAKE2s256", 32, null, true),
  /** SM3 (NID 1143). */
  SM3(1143, "SM3", 32, null, true),
  /** Whirlpool (NID 804; OpenSSL's short name is lower case). */
  WHIRLPOOL(804, "whirlpool", 64, null, true);

  /** Largest output length of any algorithm here (SHA-512, SHA3-512, BLAKE2b512, whirlpool). */
  public static final int MAX_LENGTH = 64;

  /** Bytes of the digest that go into a MAC: longer digests are truncated to this (ntpd MAX_MDG_LEN). */
  public static final int MAX_MAC_DIGEST_LENGTH = 20;

  private final int nid;
  private final String openSslName;
  private final int length;
  private final String jdkName;
  private final boolean inReferenceBuild;

  DigestAlgorithm(int nid, String openSslName, int length, String jdkName, boolean inReferenceBuild) {
    this.nid = nid;
    this.openSslName = openSslName;
    this.length = length;
    this.jdkName = jdkName;
    this.inReferenceBuild = inReferenceBuild;
  }

  /** OpenSSL's NID of the digest itself (e.g. 4 for MD5, 64 for SHA-1). */
  public int nid() {
    return nid;
  }

  /** OpenSSL's short name, as written after {@code crypto digest} (e.g. {@code MD5}, {@code SHA1}). */
  public String openSslName() {
    return openSslName;
  }

  /** Output length in bytes: also the length of a session key made with this digest. */
  public int length() {
    return length;
  }

  /** Length of the digest part of a MAC: {@code min(length(), 20)}. */
  public int macDigestLength() {
    return Math.min(length, MAX_MAC_DIGEST_LENGTH);
  }

  /** Length of the whole MAC field (key ID plus digest): {@code 4 + macDigestLength()}. */
  public int macLength() {
    return 4 + macDigestLength();
  }

  /**
   * Whether the JDK's {@code MessageDigest} (standard algorithm names) can provide this digest;
   * {@link #MD5_SHA1} counts, being composed of two JDK digests.
   */
  public boolean jdkSupported() {
    return jdkName != null || this == MD5_SHA1;
  }

  /** The JDK standard algorithm name, or {@code null} if the JDK has none. */
  String jdkName() {
    return jdkName;
  }

  /**
   * Whether the reference ntpd 4.2.8p15 (OpenSSL 1.1.1w, Debian build) accepts this digest for
   * {@code crypto digest}.
   */
  public boolean inReferenceBuild() {
    return inReferenceBuild;
  }

  private static final Map<String, DigestAlgorithm> BY_NAME = new HashMap<>();
  private static final Map<Integer, DigestAlgorithm> BY_NID = new HashMap<>();

  static {
    for (DigestAlgorithm a : values()) {
      BY_NAME.put(a.openSslName, a);
      BY_NID.put(a.nid, a);
    }
    // RSA signature NIDs that OpenSSL 1.1.1's EVP_add_digest registers as aliases of their digest
    // (EVP_MD.pkey_type), so OBJ_sn2nid + EVP_get_digestbynid resolve them to that digest.
    alias(7, "RSA-MD2", MD2);
    alias(396, "RSA-MD4", MD4);
    alias(8, "RSA-MD5", MD5);
    alias(96, "RSA-MDC2", MDC2);
    alias(119, "RSA-RIPEMD160", RIPEMD160);
    alias(65, "RSA-SHA1", SHA1);
    alias(115, "RSA-SHA1-2", SHA1);
    alias(671, "RSA-SHA224", SHA224);
    alias(668, "RSA-SHA256", SHA256);
    alias(669, "RSA-SHA384", SHA384);
    alias(670, "RSA-SHA512", SHA512);
    alias(1145, "RSA-SHA512/224", SHA512_224);
    alias(1146, "RSA-SHA512/256", SHA512_256);
    alias(1116, "id-rsassa-pkcs1-v1_5-with-sha3-224", SHA3_224);
    alias(1117, "id-rsassa-pkcs1-v1_5-with-sha3-256", SHA3_256);
    alias(1118, "id-rsassa-pkcs1-v1_5-with-sha3-384", SHA3_384);
    alias(1119, "id-rsassa-pkcs1-v1_5-with-sha3-512", SHA3_512);
    alias(1144, "RSA-SM3", SM3);
  }

  private static void alias(int nid, String name, DigestAlgorithm a) {
    BY_NAME.put(name, a);
    BY_NID.put(nid, a);
  }

  /**
   * The digest {@code crypto digest NAME} selects: OpenSSL short names, exact and case-sensitive
   * as {@code OBJ_sn2nid} matches them ({@code SHA1}, not {@code sha1} or {@code SHA-1}),
   * including the RSA signature names OpenSSL resolves to their digest ({@code RSA-SHA1}).
   *
   * @throws AutokeyException with {@link XEvent#MD} for any other name (ntpd would log "invalid
   *     digest name" and keep MD5; this library refuses instead)
   */
  public static DigestAlgorithm forOpenSslName(String name) throws AutokeyException {
    DigestAlgorithm a = name == null ? null : BY_NAME.get(name);
    if (a == null) {
      String hint = name == null ? "" : hintFor(name);
      throw new AutokeyException(XEvent.MD, "unknown OpenSSL digest name '" + name + "'" + hint);
    }
    return a;
  }

  private static String hintFor(String name) {
    for (DigestAlgorithm a : values()) {
      if (a.openSslName.equalsIgnoreCase(name)
          || (a.jdkName != null && a.jdkName.equalsIgnoreCase(name))) {
        return " (OpenSSL short names are case-sensitive: did you mean '" + a.openSslName + "'?)";
      }
    }
    return "";
  }

  /**
   * The digest OpenSSL 1.1.1's {@code EVP_get_digestbynid} returns for a NID: the digest NIDs of
   * this enum and the RSA signature NIDs registered as their aliases (8 = RSA-MD5 → MD5, 65 =
   * RSA-SHA1 → SHA-1, 668 = RSA-SHA256 → SHA-256, ...). DSA signature NIDs (66, 113) and SHA-0
   * (41, 42) have no digest in OpenSSL 1.1.
   *
   * @throws AutokeyException with {@link XEvent#MD} for a NID without a digest
   */
  public static DigestAlgorithm forNid(int nid) throws AutokeyException {
    DigestAlgorithm a = BY_NID.get(nid);
    if (a == null) {
      throw new AutokeyException(XEvent.MD, "NID " + nid + " has no digest in OpenSSL 1.1.1");
    }
    return a;
  }

  /** The OpenSSL short name. */
  @Override
  public String toString() {
    return openSslName;
  }
}
