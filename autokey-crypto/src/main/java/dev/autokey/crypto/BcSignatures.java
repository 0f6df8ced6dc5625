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
import java.math.BigInteger;
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
 * {@link Signer} and {@link SignatureVerifier} for extension-field signatures on Bouncy Castle's
 * lightweight API: RSA PKCS#1 v1.5 (exactly modulus-length signatures) and DSA (DER {@code
 * Dss-Sig-Value}), with the digest of a {@link SignatureAlgorithm}.
 *
 * <p>Lengths. ntpd 4.2.8p15's {@code crypto_verify} refuses ({@code XEVNT_SGL}) every signature
 * whose length differs from {@code EVP_PKEY_size} of the signer's key: the modulus length for RSA,
 * and for DSA the <em>maximum</em> DER length ({@code DSA_size}: both INTEGERs with a leading zero
 * byte). A DSA signature with a random k has that length only when r and s both have the top bit
 * of their q-sized byte strings set, a chance of {@code ((q - 2^(8n-1)) / q)^2} for an n-byte q (at
 * most 1/4, about 0.1 for the q ntp-keygen draws), so ntpd fails most of its own signatures when
 * it has a DSA sign key. Therefore:
 *
 * <ul>
 *   <li>the {@linkplain #signer signer} sends only maximum-length DSA signatures: it draws a fresh
 *       k until the encoding has the maximum length, so ntpd accepts what we send. The loop is
 *       bounded, so that one signature costs bounded work whatever the key: enough tries for a
 *       chance of giving up of at most 2^-40 with the key's q (97 to about 300 for usual keys),
 *       never more than 4096. Giving up is {@code XEVNT_SGL}, which is also what a key whose q
 *       makes the maximum length unreachable (bit length not a multiple of 8) gives at once;
 *   <li>the {@linkplain #verifier verifier} keeps the exact-length rule for RSA but accepts any
 *       strict-DER DSA signature not longer than the maximum ({@code XEVNT_SGL} only above it):
 *       a shorter encoding is an equally valid signature, and refusing it only made us fail with
 *       the signatures of other implementations (OpenSSL, the JDK, ntpd itself).
 * </ul>
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
   * @return a signer whose DSA signatures are always exactly {@link Signer#signatureLength()}
   *     bytes (see the class comment); signing failures are {@code XEVNT_SIG}, no
   *     maximum-length DSA signature within the bounded tries {@code XEVNT_SGL}
   */
  public static Signer signer(PrivateKey key, SignatureAlgorithm algorithm, SecureRandom random) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(random, "random");
    checkKeyType(key, algorithm);
    var params = BcKeys.privateParams(key);
    int size;
    int tries;
    double work;
    if (key instanceof RSAKey r) {
      size = (r.getModulus().bitLength() + 7) / 8;
      tries = 1;
      work = WorkBudget.rsaPrivate(r.getModulus().bitLength());
    } else {
      var dp = ((DSAKey) key).getParams();
      BigInteger q = dp.getQ();
      size = DsaDer.maximumLength(q);
      tries = DsaDer.maximumLengthTries(q);
      // a maximum-length signature takes 1 / chance signings on average
      double chance = DsaDer.maximumLengthChance(q);
      work = WorkBudget.dsaSign(dp.getP().bitLength(), q.bitLength())
          / (chance > 0 ? chance : 1.0);
    }
    return new Signer() {
      @Override
      public byte[] sign(byte[] signedBytes) throws AutokeyException {
        Objects.requireNonNull(signedBytes, "signedBytes");
        byte[] sig;
        try {
          if (params instanceof RSAKeyParameters rp) {
            return RsaPkcs1.sign(rp, algorithm.digest(), signedBytes, random);
          }
          sig = DsaDer.signMaximumLength((DSAPrivateKeyParameters) params, algorithm.digest(),
              signedBytes, random, tries);
        } catch (RuntimeException e) {
          throw new AutokeyException(XEvent.SIG, "signing failed: " + e.getMessage(), e);
        }
        if (sig == null) {
          throw new AutokeyException(XEvent.SGL, tries == 0
              ? "DSA key with a " + ((DSAKey) key).getParams().getQ().bitLength()
                  + "-bit q can never give the " + size + "-byte signatures ntpd requires"
              : "no " + size + "-byte DSA signature (the length ntpd requires) in " + tries
                  + " tries");
        }
        return sig;
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
   * @return a verifier: an empty signature is {@code XEVNT_ERR}; an RSA signature not exactly the
   *     modulus length, or a DSA signature longer than the maximum DER length, {@code XEVNT_SGL};
   *     anything else that does not verify (including non-DER DSA encodings and trailing bytes)
   *     {@code XEVNT_SIG}
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
    boolean rsa = params instanceof RSAKeyParameters;
    return new SignatureVerifier() {
      @Override
      public void verify(byte[] signedBytes, byte[] signature) throws AutokeyException {
        Objects.requireNonNull(signedBytes, "signedBytes");
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
          throw new AutokeyException(XEvent.ERR, "unsigned response");
        }
        if (rsa ? signature.length != size : signature.length > size) {
          throw new AutokeyException(XEvent.SGL, "signature length " + signature.length
              + (rsa ? " != key size " : " > maximum DSA signature length ") + size);
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
