package dev.autokey.crypto.keygen;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.Signer;
import dev.autokey.crypto.BcCertificateCodec;
import dev.autokey.crypto.BcCookieCipher;
import dev.autokey.crypto.BcSignatures;
import dev.autokey.crypto.internal.keygen.DsaKeyFields;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyFields;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A host's own Autokey material as ntpd's {@code crypto_setup} loads it from the keys directory:
 * the RSA host key ({@code ntpkey_host_<host>}, required), the optional sign key ({@code
 * ntpkey_sign_<host>}, RSA or DSA; else the host key signs) and the self-signed certificate
 * ({@code ntpkey_cert_<host>}, required).
 *
 * <p>Checks (each failure a {@link KeygenException} naming the file): host key present, RSA and
 * consistent; certificate present, first block {@code CERTIFICATE}, ntpd's {@code cert_parse}
 * rules including its self-signature; subject = issuer; the certificate's key is the sign key's
 * public key ({@link KeygenException.Reason#MISMATCH} otherwise; ntpd does not check this and
 * fails later on the wire); policy rules on key sizes and MD5.
 *
 * <p>{@link #toString()} shows no key material.
 */
public final class HostCredentials {
  private final String linkHost;
  private final KeysDirectory.Loaded<RSAPrivateCrtKey> hostKeyFile;
  private final Optional<KeysDirectory.Loaded<PrivateKey>> signKeyFile;
  private final PrivateKey signKey;
  private final CertificateInfo certificate;
  private final String certificateFile;
  private final CryptoPolicy policy;

  private HostCredentials(
      String linkHost,
      KeysDirectory.Loaded<RSAPrivateCrtKey> hostKeyFile,
      Optional<KeysDirectory.Loaded<PrivateKey>> signKeyFile,
      CertificateInfo certificate,
      String certificateFile,
      CryptoPolicy policy) {
    this.linkHost = linkHost;
    this.hostKeyFile = hostKeyFile;
    this.signKeyFile = signKeyFile;
    this.signKey = signKeyFile.map(KeysDirectory.Loaded::value).orElse(hostKeyFile.value());
    this.certificate = certificate;
    this.certificateFile = certificateFile;
    this.policy = policy;
  }

  static HostCredentials load(KeysDirectory dir, String host, char[] password)
      throws KeygenException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(password, "password");
    CryptoPolicy policy = dir.policy();
    KeysDirectory.Loaded<PrivateKeyFields> hk =
        dir.load(KeygenFileName.HOST, host, password, XEvent.PUB,
            (f, pw) -> PrivateKeyBlocks.decode(KeygenFiles.firstBlock(f), pw));
    if (!(hk.value() instanceof RsaKeyFields rsa)) {
      throw new KeygenException(XEvent.PUB, KeygenException.Reason.UNSUPPORTED,
          hk.linkName() + " (" + hk.fileName() + ") is not an RSA key; the host key must be RSA");
    }
    if (!rsa.isConsistentRsaKey()) {
      throw new KeygenException(XEvent.PUB, KeygenException.Reason.MALFORMED_CONTENT,
          hk.linkName() + " (" + hk.fileName() + ") is not a consistent RSA key");
    }
    policyKey(policy, rsa.bits(), hk.fileName());
    RSAPrivateCrtKey hostKey = rsa.toJcaPrivateKey();

    Optional<KeysDirectory.Loaded<PrivateKeyFields>> sk =
        dir.loadIfPresent(KeygenFileName.SIGN, host, password, XEvent.PUB,
            (f, pw) -> PrivateKeyBlocks.decode(KeygenFiles.firstBlock(f), pw));
    PrivateKey signKey = hostKey;
    PublicKey signPublic = rsa.toJcaPublicKey();
    if (sk.isPresent()) {
      PrivateKeyFields f = sk.get().value();
      if (f instanceof RsaKeyFields r) {
        if (!r.isConsistentRsaKey()) {
          throw new KeygenException(XEvent.PUB, KeygenException.Reason.MALFORMED_CONTENT,
              sk.get().fileName() + " is not a consistent RSA key");
        }
        policyKey(policy, r.bits(), sk.get().fileName());
        signKey = r.toJcaPrivateKey();
        signPublic = r.toJcaPublicKey();
      } else {
        DsaKeyFields d = (DsaKeyFields) f;
        if (d.p().signum() <= 0 || d.q().signum() <= 0 || d.x().signum() <= 0
            || d.x().compareTo(d.q()) >= 0) {
          throw new KeygenException(XEvent.PUB, KeygenException.Reason.MALFORMED_CONTENT,
              sk.get().fileName() + " is not a usable DSA key");
        }
        policyKey(policy, d.p().bitLength(), sk.get().fileName());
        signKey = d.toJcaPrivateKey();
        signPublic = d.toJcaPublicKey();
      }
    }

    KeysDirectory.Loaded<CertificateInfo> cf =
        dir.load(KeygenFileName.CERT, host, null, XEvent.CRT, (f, pw) -> {
          PemBlock b = KeygenFiles.firstBlock(f);
          if (!b.label().equals(PemBlock.CERTIFICATE)) {
            throw new KeygenException(XEvent.CRT, KeygenException.Reason.MALFORMED_PEM,
                "first PEM block is " + b.label() + ", not CERTIFICATE");
          }
          return BcCertificateCodec.INSTANCE.parse(b.der(), f.filestamp());
        });
    CertificateInfo cert = cf.value();
    if (!cert.selfSigned()) {
      throw new KeygenException(XEvent.CRT, KeygenException.Reason.MISMATCH,
          cf.fileName() + " is not self-signed (subject " + cert.subject() + ", issuer "
              + cert.issuer() + ")");
    }
    SignatureAlgorithm alg = cert.algorithm().orElseThrow(() -> new KeygenException(XEvent.MD,
        KeygenException.Reason.UNSUPPORTED, cf.fileName() + ": unsupported signature algorithm "
            + cert.signatureOid()));
    try {
      policy.checkSignature(alg, cf.fileName(), XEvent.MD);
    } catch (AutokeyException e) {
      throw new KeygenException(XEvent.MD, KeygenException.Reason.POLICY, e.getMessage(), e);
    }
    if (!cert.publicKey().equals(signPublic)) {
      throw new KeygenException(XEvent.CRT, KeygenException.Reason.MISMATCH,
          cf.fileName() + " certifies a different key than "
              + sk.map(KeysDirectory.Loaded::fileName).orElse(hk.fileName()));
    }
    if ((alg.keyType() == SignatureAlgorithm.KeyType.RSA) != (signKey instanceof RSAPrivateCrtKey)) {
      throw new KeygenException(XEvent.CRT, KeygenException.Reason.MISMATCH,
          cf.fileName() + ": " + alg.opensslName() + " does not fit the sign key type");
    }
    KeysDirectory.Loaded<RSAPrivateCrtKey> hostFile =
        new KeysDirectory.Loaded<>(hk.linkName(), hk.fileName(), hk.filestamp(), hostKey);
    PrivateKey sign = signKey;
    Optional<KeysDirectory.Loaded<PrivateKey>> signFile = sk.map(l ->
        new KeysDirectory.Loaded<>(l.linkName(), l.fileName(), l.filestamp(), sign));
    return new HostCredentials(host, hostFile, signFile, cert, cf.fileName(), policy);
  }

  private static void policyKey(CryptoPolicy policy, int bits, String file) throws KeygenException {
    try {
      policy.checkKeySize(bits, file, XEvent.PUB);
    } catch (AutokeyException e) {
      throw new KeygenException(XEvent.PUB, KeygenException.Reason.POLICY, e.getMessage(), e);
    }
  }

  /** The Autokey host name: the certificate's subject ({@code host} or {@code host@group}). */
  public String hostName() {
    return certificate.subject();
  }

  /** The name the files were looked up with ({@code crypto host}). */
  public String linkHost() {
    return linkHost;
  }

  /** The group: text after {@code @} in the host name, if any. */
  public Optional<String> groupName() {
    int at = hostName().indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(hostName().substring(at + 1));
  }

  /** The RSA host key (decrypts cookies). */
  public RSAPrivateCrtKey hostKey() {
    return hostKeyFile.value();
  }

  /**
   * The host key file: link and file name, filestamp (sent in COOK requests as hostfs) and the
   * key.
   */
  public KeysDirectory.Loaded<RSAPrivateCrtKey> hostKeyFile() {
    return hostKeyFile;
  }

  /** The host key filestamp. */
  public long hostKeyFilestamp() {
    return hostKeyFile.filestamp();
  }

  /** The key that signs: the sign key if present, else the host key. */
  public PrivateKey signKey() {
    return signKey;
  }

  /** The sign key file (link and file name, filestamp, key), if there is one. */
  public Optional<KeysDirectory.Loaded<PrivateKey>> signKeyFile() {
    return signKeyFile;
  }

  /** The own certificate, with the certificate file's filestamp. */
  public CertificateInfo certificate() {
    return certificate;
  }

  /** The certificate file name. */
  public String certificateFile() {
    return certificateFile;
  }

  /** The signature algorithm of the own certificate (its digest signs extension fields). */
  public SignatureAlgorithm signatureAlgorithm() {
    return certificate.algorithm().orElseThrow();
  }

  /** The NID for the status word. */
  public int nid() {
    return certificate.nid();
  }

  /** A signer for extension fields (sign key + certificate digest). */
  public Signer signer(SecureRandom random) {
    return BcSignatures.signer(signKey, signatureAlgorithm(), random);
  }

  /** The cookie cipher holding the host key. */
  public BcCookieCipher cookieCipher(SecureRandom random) {
    return BcCookieCipher.withHostKey(hostKey(), policy, random);
  }

  @Override
  public String toString() {
    return "HostCredentials[" + hostName() + ", host key " + hostKeyFile.fileName() + " ("
        + hostKey().getModulus().bitLength() + " bits), sign key "
        + signKeyFile.map(KeysDirectory.Loaded::fileName).orElse("= host key") + ", certificate "
        + certificateFile + "]";
  }
}
