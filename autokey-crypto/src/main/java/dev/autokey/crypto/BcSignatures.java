package dev.autokey.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.DsaDer;
import dev.autokey.crypto.internal.RsaPkcs1;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.DSAKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * {@link Signer} and {@link SignatureVerifier} for extension-field signatures (AUTOKEY-WIRE §6) on
 * Bouncy Castle's lightweight API: RSA PKCS#1 v1.5 (exactly modulus-length signatures) and DSA
 * (DER {@code Dss-Sig-Value}), with the digest of a {@link SignatureAlgorithm}.
 *
 * <p>Verification follows ntpd: the signature length must equal {@code EVP_PKEY_size} of the key
 * (the modulus length for RSA; for DSA the <em>maximum</em> DER length, so ordinary shorter DSA
 * signatures are refused with {@code XEVNT_SGL} exactly as ntpd 4.2.8p15 refuses them).
 */
public final class BcSignatures {
  private BcSignatures() {}

  /**
   * A signer for the host's sign key.
   *
   * @param key RSA or DSA private key
   * @param algorithm the host certificate's signature algorithm (its digest is used); must match
   *     the key type
   * @param random randomness for RSA blinding and DSA k
   */
  public static Signer signer(PrivateKey key, SignatureAlgorithm algorithm, SecureRandom random) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(random, "random");
    checkKeyType(key, algorithm);
    var params = BcKeys.privateParams(key);
    int size;
    double work;
    if (key instanceof RSAKey r) {
      size = (r.getModulus().bitLength() + 7) / 8;
      work = WorkBudget.rsaPrivate(r.getModulus().bitLength());
    } else {
      var dp = ((DSAKey) key).getParams();
      size = BcKeys.dsaSignatureSize(dp.getQ().bitLength());
      work = WorkBudget.dsaSign(dp.getP().bitLength(), dp.getQ().bitLength());
    }
    return new Signer() {
      @Override
      public byte[] sign(byte[] signedBytes) throws AutokeyException {
        try {
          if (params instanceof RSAKeyParameters rp) {
            return RsaPkcs1.sign(rp, algorithm.digest(), signedBytes, random);
          }
          return DsaDer.sign((DSAPrivateKeyParameters) params, algorithm.digest(), signedBytes, random);
        } catch (RuntimeException e) {
          throw new AutokeyException(XEvent.SIG, "signing failed: " + e.getMessage(), e);
        }
      }

      @Override
      public int signatureLength() {
        return size;
      }

      @Override
      public SignatureAlgorithm algorithm() {
        return algorithm;
      }

      @Override
      public double work() {
        return work;
      }

      @Override
      public String toString() {
        return "Signer[" + algorithm.opensslName() + ", " + size + "-byte signatures]";
      }
    };
  }

  /**
   * A verifier for a peer's key with the algorithm of the peer's advertised NID.
   *
   * @param key RSA or DSA public key from the peer's first accepted certificate
   * @param algorithm the algorithm; its digest is used
   * @param policy strict refuses MD5 and short keys ({@code XEVNT_MD} / {@code XEVNT_PUB});
   *     legacy accepts them and warns once here
   * @throws AutokeyException refused by the policy, or key type and algorithm disagree
   */
  public static SignatureVerifier verifier(
      PublicKey key, SignatureAlgorithm algorithm, CryptoPolicy policy) throws AutokeyException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(policy, "policy");
    if (!(key instanceof RSAPublicKey) && !(key instanceof DSAPublicKey)) {
      throw new AutokeyException(XEvent.PUB, "unsupported public key type " + key.getAlgorithm());
    }
    policy.checkSignature(algorithm, "peer signatures", XEvent.MD);
    policy.checkKeySize(BcKeys.bits(key), "peer key", XEvent.PUB);
    org.bouncycastle.crypto.params.AsymmetricKeyParameter params;
    try {
      params = BcKeys.publicParams(key);
    } catch (IllegalArgumentException e) {
      throw new AutokeyException(XEvent.PUB, "peer key refused: " + e.getMessage());
    }
    int size = BcKeys.signatureSize(key);
    return new SignatureVerifier() {
      @Override
      public void verify(byte[] signedBytes, byte[] signature) throws AutokeyException {
        Objects.requireNonNull(signedBytes, "signedBytes");
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
          throw new AutokeyException(XEvent.ERR, "unsigned response");
        }
        if (signature.length != size) {
          throw new AutokeyException(
              XEvent.SGL, "signature length " + signature.length + " != key size " + size);
        }
        boolean ok;
        try {
          ok =
              params instanceof RSAKeyParameters rp
                  ? RsaPkcs1.verify(rp, algorithm.digest(), signedBytes, signature)
                  : DsaDer.verify(
                      (DSAPublicKeyParameters) params, algorithm.digest(), signedBytes, signature);
        } catch (RuntimeException e) {
          ok = false;
        }
        if (!ok) {
          throw new AutokeyException(XEvent.SIG, "signature does not verify (" + algorithm.opensslName() + ")");
        }
      }

      @Override
      public int signatureLength() {
        return size;
      }

      @Override
      public SignatureAlgorithm algorithm() {
        return algorithm;
      }

      @Override
      public String toString() {
        return "SignatureVerifier[" + algorithm.opensslName() + ", " + size + "-byte signatures]";
      }
    };
  }

  /**
   * A verifier for the NID of a peer's ASSOC status word (bits 16..31).
   *
   * @throws AutokeyException {@code XEVNT_MD} when the NID has no supported digest; see {@link
   *     #verifier(PublicKey, SignatureAlgorithm, CryptoPolicy)}
   */
  public static SignatureVerifier verifierForNid(PublicKey key, int nid, CryptoPolicy policy)
      throws AutokeyException {
    SignatureAlgorithm alg =
        SignatureAlgorithm.ofNid(nid)
            .orElseThrow(() -> new AutokeyException(XEvent.MD, "unsupported signature NID " + nid));
    if (key instanceof DSAPublicKey && alg.keyType() == SignatureAlgorithm.KeyType.RSA) {
      // ntpd uses only the digest of the NID: an RSA-named NID with a DSA key means DSA + digest
      alg = SignatureAlgorithm.of(SignatureAlgorithm.KeyType.DSA, alg.digest())
          .orElseThrow(() -> new AutokeyException(XEvent.MD, "no DSA signature with that digest"));
    } else if (key instanceof RSAPublicKey && alg.keyType() == SignatureAlgorithm.KeyType.DSA) {
      alg = SignatureAlgorithm.of(SignatureAlgorithm.KeyType.RSA, alg.digest())
          .orElseThrow(() -> new AutokeyException(XEvent.MD, "no RSA signature with that digest"));
    }
    return verifier(key, alg, policy);
  }

  private static void checkKeyType(java.security.Key key, SignatureAlgorithm alg) {
    boolean rsa = key instanceof RSAKey;
    boolean dsa = key instanceof DSAKey;
    if (!rsa && !dsa) {
      throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }
    if (rsa != (alg.keyType() == SignatureAlgorithm.KeyType.RSA)) {
      throw new IllegalArgumentException(alg.opensslName() + " does not fit a " + key.getAlgorithm() + " key");
    }
  }
}
