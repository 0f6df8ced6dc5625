package dev.autokey.crypto.suite;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CookieCipher;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.crypto.BcCertificateCodec;
import dev.autokey.crypto.BcCookieCipher;
import dev.autokey.crypto.BcSignatures;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.GqParameters;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.IffParameters;
import dev.autokey.crypto.identity.MvClientKey;
import dev.autokey.crypto.identity.IdentityFiles;
import dev.autokey.crypto.identity.MvServerKey;
import dev.autokey.crypto.keygen.HostCredentials;
import dev.autokey.crypto.keygen.KeygenFileName;
import dev.autokey.crypto.keygen.KeysDirectory;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Bouncy Castle {@link CryptoSuite}: a host's key material wired for the engine.
 *
 * <pre>{@code
 * CryptoSuite suite = BcCryptoSuite.builder()
 *     .hostKey(hostRsaKey, hostKeyFilestamp)      // ntpkey_host_<host>
 *     .certificate(certDer, certFilestamp)        // ntpkey_cert_<host>
 *     .iffKey(iffServerKey)                       // optional: ntpkey_iffkey_<ident>
 *     .iffParameters("grp", iffParameters)        // optional: ntpkey_iffpar_<grp>
 *     .build();
 * }</pre>
 *
 * <p>The sign key defaults to the host key ({@code ntpkey_sign_<host>} absent). Signatures use
 * the digest of the certificate's signature algorithm, as ntpd does. Immutable and thread-safe.
 *
 * <p>Keys chosen by peers — the RSA keys of COOK requests and the keys of certificates (SIGN
 * requests, CERT responses, trail certificates) — are bounded to {@link
 * Builder#maxPeerKeyBits} bits, {@value #DEFAULT_MAX_PEER_KEY_BITS} by default, checked from
 * their encoding before any big-integer work; see {@link BcCookieCipher} and {@link
 * BcCertificateCodec}. The suite prices its operations for the server's work budget ({@code
 * dev.autokey.core.protocol.WorkBudget}) from the key sizes involved.
 */
public final class BcCryptoSuite implements CryptoSuite {
  /** Default largest peer key (RSA modulus, DSA p): 4096 bits. */
  public static final int DEFAULT_MAX_PEER_KEY_BITS = BcCertificateCodec.DEFAULT_MAX_KEY_BITS;

  private final BcCertificateCodec codec;
  private final double ownVerifyWork;
  private final CertificateInfo certificate;
  private final long hostKeyFilestamp;
  private final PrivateKey signKey;
  private final SignatureAlgorithm signAlgorithm;
  private final Signer signer;
  private final BcCookieCipher cookieCipher;
  private final CryptoPolicy policy;
  private final SecureRandom random;
  private final Map<IdentityScheme, IdentityServer> servers;
  private final Map<String, IffParameters> iffParameters;
  private final Map<String, GqParameters> gqParameters;
  private final Map<String, MvClientKey> mvKeys;

  private BcCryptoSuite(Builder b, BcCertificateCodec codec, CertificateInfo certificate,
      SignatureAlgorithm alg) throws AutokeyException {
    this.codec = codec;
    this.ownVerifyWork = codec.verifyWork(certificate.der());
    this.certificate = certificate;
    this.hostKeyFilestamp = b.hostKeyFilestamp;
    this.signKey = b.signKey != null ? b.signKey : b.hostKey;
    this.signAlgorithm = alg;
    this.random = b.random;
    this.policy = b.policy;
    this.signer = BcSignatures.signer(signKey, alg, random);
    this.cookieCipher = BcCookieCipher.withHostKey(b.hostKey, policy, random)
        .withMaxModulusBits(codec.maxKeyBits());
    this.servers = new EnumMap<>(b.servers);
    this.iffParameters = Map.copyOf(b.iffParameters);
    this.gqParameters = Map.copyOf(b.gqParameters);
    this.mvKeys = Map.copyOf(b.mvKeys);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads a host's suite from an ntp-keygen keys directory as ntpd's {@code crypto_setup} does:
   * {@code ntpkey_host_<host>}, {@code ntpkey_sign_<host>} (optional), {@code ntpkey_cert_<host>},
   * server identity keys {@code ntpkey_iffkey|gqkey|mvkey_<ident>} (optional) and client
   * parameters {@code ntpkey_iffpar|gqpar|mvpar_<group>} for each group given (optional).
   *
   * @param dir the keys directory ({@code keysdir})
   * @param host {@code crypto host}
   * @param ident {@code crypto ident} (names the server identity keys), or null for the host
   * @param password {@code crypto pw}
   * @param groups the groups whose client parameters to load ({@code ident} of associations)
   * @param policy the crypto policy
   * @param random randomness
   * @throws AutokeyException when a required file is missing or unreadable, or keys mismatch
   */
  public static BcCryptoSuite fromKeysDirectory(java.nio.file.Path dir, String host,
      String ident, char[] password, java.util.Collection<String> groups, CryptoPolicy policy,
      SecureRandom random) throws AutokeyException {
    KeysDirectory kd = KeysDirectory.of(dir, policy);
    HostCredentials hc = kd.loadHost(host, password);
    Builder b = builder().policy(policy).random(random)
        .hostKey(hc.hostKey(), hc.hostKeyFilestamp())
        .signKey(hc.signKey())
        .certificate(hc.certificate().der(), hc.certificate().filestamp());
    String id = ident != null ? ident : host;
    kd.loadIfPresent(KeygenFileName.IFFKEY, id, password, XEvent.ID, IdentityFiles::readIffKey)
        .ifPresent(l -> b.iffKey(l.value()));
    kd.loadIfPresent(KeygenFileName.GQKEY, id, password, XEvent.ID, IdentityFiles::readGqKey)
        .ifPresent(l -> b.gqKey(l.value()));
    kd.loadIfPresent(KeygenFileName.MVKEY, id, password, XEvent.ID,
        IdentityFiles::readMvServerKey).ifPresent(l -> b.mvServerKey(l.value()));
    for (String g : groups) {
      kd.loadIfPresent(KeygenFileName.IFFPAR, g, password, XEvent.ID,
          IdentityFiles::readIffParameters).ifPresent(l -> b.iffParameters(g, l.value()));
      kd.loadIfPresent(KeygenFileName.GQPAR, g, password, XEvent.ID,
          IdentityFiles::readGqParameters).ifPresent(l -> b.gqParameters(g, l.value()));
      kd.loadIfPresent(KeygenFileName.MVPAR, g, password, XEvent.ID,
          IdentityFiles::readMvClientKey).ifPresent(l -> b.mvClientKey(g, l.value()));
    }
    return b.build();
  }

  @Override
  public CertificateInfo hostCertificate() {
    return certificate;
  }

  @Override
  public long hostKeyFilestamp() {
    return hostKeyFilestamp;
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public CookieCipher cookieCipher() {
    return cookieCipher;
  }

  @Override
  public CertificateCodec certificateCodec() {
    return codec;
  }

  @Override
  public SignatureVerifier verifier(PublicKey key, int nid) throws AutokeyException {
    return BcSignatures.verifierForNid(key, nid, policy);
  }

  @Override
  public byte[] signCertificate(byte[] request, long nowSeconds, CertificateInfo issuer)
      throws AutokeyException {
    return NtpCertificates.signRequest(request, issuer, signKey, signAlgorithm, nowSeconds,
        codec, random);
  }

  /**
   * Verifying the request's self-signature with its key (bounded, from the DER), one signature
   * with the sign key, and verifying the issued certificate with the own key.
   */
  @Override
  public double signCertificateWork(byte[] request) throws AutokeyException {
    return codec.verifyWork(request) + signer.work() + ownVerifyWork;
  }

  @Override
  public Optional<IdentityServer> identityServer(IdentityScheme scheme) {
    return Optional.ofNullable(servers.get(scheme));
  }

  @Override
  public Optional<IdentityClient> identityClient(IdentityScheme scheme, String group,
      CertificateInfo trustedRoot) {
    switch (scheme) {
      case IFF:
        return Optional.ofNullable(iffParameters.get(group)).map(IffParameters::client);
      case GQ: {
        GqParameters p = gqParameters.get(group);
        Optional<byte[]> v = trustedRoot.gqKey();
        if (p == null || v.isEmpty()) {
          return Optional.empty();
        }
        try {
          return Optional.of(p.client(new BigInteger(1, v.get())));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
      case MV:
        return Optional.ofNullable(mvKeys.get(group)).map(MvClientKey::client);
      default:
        return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "BcCryptoSuite[" + certificate.subject() + ", " + signAlgorithm + ", servers "
        + servers.keySet() + "]";
  }

  /** Builder for {@link BcCryptoSuite}. */
  public static final class Builder {
    private RSAPrivateCrtKey hostKey;
    private long hostKeyFilestamp;
    private PrivateKey signKey;
    private byte[] certificate;
    private long certificateFilestamp;
    private CryptoPolicy policy = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
    private SecureRandom random = new SecureRandom();
    private int maxPeerKeyBits = DEFAULT_MAX_PEER_KEY_BITS;
    private final Map<IdentityScheme, IdentityServer> servers = new EnumMap<>(
        IdentityScheme.class);
    private final Map<String, IffParameters> iffParameters = new HashMap<>();
    private final Map<String, GqParameters> gqParameters = new HashMap<>();
    private final Map<String, MvClientKey> mvKeys = new HashMap<>();

    private Builder() {}

    /** The host key ({@code ntpkey_host_<host>}, RSA) and its file's filestamp. */
    public Builder hostKey(RSAPrivateCrtKey key, long filestamp) {
      this.hostKey = Objects.requireNonNull(key, "key");
      this.hostKeyFilestamp = filestamp;
      return this;
    }

    /** The sign key ({@code ntpkey_sign_<host>}, RSA or DSA); default: the host key. */
    public Builder signKey(PrivateKey key) {
      this.signKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The host certificate ({@code ntpkey_cert_<host>}), DER, and its file's filestamp. */
    public Builder certificate(byte[] der, long filestamp) {
      this.certificate = Objects.requireNonNull(der, "der").clone();
      this.certificateFilestamp = filestamp;
      return this;
    }

    /** Crypto policy (key-size and digest rules); default legacy. */
    public Builder policy(CryptoPolicy p) {
      this.policy = Objects.requireNonNull(p, "policy");
      return this;
    }

    /**
     * The largest RSA modulus (or DSA p) accepted in keys chosen by peers: COOK request keys and
     * certificate keys, the own certificate's included. Default {@value
     * #DEFAULT_MAX_PEER_KEY_BITS}; ntp-keygen makes 256..2048-bit keys, OpenSSL and CAs up to
     * 4096. Larger keys cost more CPU per request than the work budget's default share allows
     * an honest client; raise this only for peers that need it.
     *
     * @param bits 512..16384
     * @throws IllegalArgumentException outside that range
     */
    public Builder maxPeerKeyBits(int bits) {
      this.maxPeerKeyBits = dev.autokey.crypto.internal.PeerKeys.checkBound(bits);
      return this;
    }

    /** The randomness for signatures and cookie encryption. */
    public Builder random(SecureRandom r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /** IFF server key ({@code ntpkey_iffkey_<ident>}). */
    public Builder iffKey(IffKey key) {
      servers.put(IdentityScheme.IFF, key.server());
      return this;
    }

    /** GQ server key ({@code ntpkey_gqkey_<ident>}). */
    public Builder gqKey(GqKey key) {
      servers.put(IdentityScheme.GQ, key.server());
      return this;
    }

    /** MV server key ({@code ntpkey_mvkey_<ident>}). */
    public Builder mvServerKey(MvServerKey key) {
      servers.put(IdentityScheme.MV, key.server());
      return this;
    }

    /** IFF client parameters for a group ({@code ntpkey_iffpar_<group>}). */
    public Builder iffParameters(String group, IffParameters p) {
      iffParameters.put(Objects.requireNonNull(group, "group"), p);
      return this;
    }

    /** GQ client parameters for a group ({@code ntpkey_gqpar_<group>}). */
    public Builder gqParameters(String group, GqParameters p) {
      gqParameters.put(Objects.requireNonNull(group, "group"), p);
      return this;
    }

    /** MV client key for a group ({@code ntpkey_mvpar_<group>}). */
    public Builder mvClientKey(String group, MvClientKey k) {
      mvKeys.put(Objects.requireNonNull(group, "group"), k);
      return this;
    }

    /**
     * Builds the suite.
     *
     * @throws AutokeyException {@code XEVNT_CRT} if the certificate does not parse or is not
     *     self-signed with a valid signature, {@code XEVNT_PUB} if the sign key does not match
     *     it, {@code XEVNT_MD} for an unsupported certificate algorithm
     */
    public BcCryptoSuite build() throws AutokeyException {
      if (hostKey == null || certificate == null) {
        throw new IllegalStateException("host key and certificate are required");
      }
      BcCertificateCodec codec = BcCertificateCodec.withMaxKeyBits(maxPeerKeyBits);
      CertificateInfo c = codec.parse(certificate, certificateFilestamp);
      if (!c.selfSigned()) {
        throw new AutokeyException(XEvent.CRT, "host certificate " + c.subject()
            + " is not self-signed");
      }
      SignatureAlgorithm alg = c.algorithm().orElseThrow(
          () -> new AutokeyException(XEvent.MD, "unsupported certificate signature algorithm "
              + c.signatureOid()));
      PrivateKey sk = signKey != null ? signKey : hostKey;
      SignatureAlgorithm.KeyType kt = sk instanceof DSAPrivateKey
          ? SignatureAlgorithm.KeyType.DSA : SignatureAlgorithm.KeyType.RSA;
      if (alg.keyType() != kt) {
        SignatureAlgorithm a2 = SignatureAlgorithm.of(kt, alg.digest()).orElseThrow(
            () -> new AutokeyException(XEvent.MD, "no " + kt + " signature with " + alg.digest()));
        return check(new BcCryptoSuite(this, codec, c, a2));
      }
      return check(new BcCryptoSuite(this, codec, c, alg));
    }

    private static BcCryptoSuite check(BcCryptoSuite s) throws AutokeyException {
      byte[] probe = {1, 2, 3, 4};
      byte[] sig = s.signer.sign(probe);
      s.verifier(s.certificate.publicKey(), s.certificate.nid()).verify(probe, sig);
      return s;
    }
  }
}
