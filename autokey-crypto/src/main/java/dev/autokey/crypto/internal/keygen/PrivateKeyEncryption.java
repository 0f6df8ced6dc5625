package dev.autokey.crypto.internal.keygen;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.keygen.KeygenException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * PKCS#8 {@code EncryptedPrivateKeyInfo} with PBES2, exactly as ntp-keygen 4.2.8p15 writes it
 * (see {@link Pbes2Parameters}) and as OpenSSL reads it.
 *
 * <p>The password is used as its UTF-8 bytes (what OpenSSL gets from an ASCII command line or
 * {@code crypto pw}). A wrong password is reported as {@link KeygenException.Reason#WRONG_PASSWORD}
 * (bad CBC padding, or a plaintext that is not a PrivateKeyInfo); a structure this class does not
 * handle as {@link KeygenException.Reason#UNSUPPORTED}; both with {@link XEvent#PUB}.
 */
public final class PrivateKeyEncryption {
  private PrivateKeyEncryption() {}

  /**
   * Encrypts a DER {@code PrivateKeyInfo} into a DER {@code EncryptedPrivateKeyInfo}.
   *
   * @param privateKeyInfo DER PrivateKeyInfo (not checked beyond being non-empty)
   * @param password the password (its UTF-8 bytes are used)
   * @param params salt, iterations, PRF, cipher, IV
   */
  public static byte[] encrypt(byte[] privateKeyInfo, char[] password, Pbes2Parameters params) {
    Objects.requireNonNull(privateKeyInfo, "privateKeyInfo");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(params, "params");
    byte[] ct = crypt(true, privateKeyInfo, password, params);
    AlgorithmIdentifier prf =
        new AlgorithmIdentifier(new ASN1ObjectIdentifier(params.prf().oid()), DERNull.INSTANCE);
    PBKDF2Params kdfParams = new PBKDF2Params(params.salt(), params.iterations(), prf);
    KeyDerivationFunc kdf = new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, kdfParams);
    EncryptionScheme scheme =
        new EncryptionScheme(
            new ASN1ObjectIdentifier(params.cipher().oid()), new DEROctetString(params.iv()));
    AlgorithmIdentifier alg =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(kdf, scheme));
    try {
      return new EncryptedPrivateKeyInfo(alg, ct).getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** The PBES2 parameters of a DER {@code EncryptedPrivateKeyInfo}. */
  public static Pbes2Parameters parameters(byte[] encryptedPrivateKeyInfo)
      throws KeygenException {
    return parse(encryptedPrivateKeyInfo).params;
  }

  /**
   * Decrypts a DER {@code EncryptedPrivateKeyInfo} to the DER {@code PrivateKeyInfo} inside.
   *
   * @throws KeygenException malformed structure, unsupported scheme, or wrong password
   */
  public static byte[] decrypt(byte[] encryptedPrivateKeyInfo, char[] password)
      throws KeygenException {
    Objects.requireNonNull(password, "password");
    Parsed p = parse(encryptedPrivateKeyInfo);
    if (p.ciphertext.length == 0 || p.ciphertext.length % p.params.cipher().ivLength() != 0) {
      throw KeygenErrors.content(
          "encrypted key length " + p.ciphertext.length + " is not a positive multiple of "
              + p.params.cipher().ivLength());
    }
    byte[] plain;
    try {
      plain = crypt(false, p.ciphertext, password, p.params);
    } catch (IllegalStateException e) {
      throw wrongPassword("bad padding after decryption", e.getCause());
    }
    try {
      ASN1Primitive prim = ASN1Primitive.fromByteArray(plain);
      if (prim == null) {
        throw wrongPassword("decrypted data is empty", null);
      }
      PrivateKeyInfo pki = PrivateKeyInfo.getInstance(prim);
      byte[] der = pki.getEncoded(ASN1Encoding.DER);
      if (!Arrays.equals(der, plain)) {
        // trailing bytes or non-DER: not what OpenSSL wrote; most likely the wrong key
        throw wrongPassword("decrypted data is not a DER PrivateKeyInfo", null);
      }
      return plain;
    } catch (java.io.IOException | RuntimeException e) {
      throw wrongPassword("decrypted data is not a PrivateKeyInfo", e);
    }
  }

  private static KeygenException wrongPassword(String detail, Throwable cause) {
    return new KeygenException(
        XEvent.PUB,
        KeygenException.Reason.WRONG_PASSWORD,
        "wrong password or corrupt encrypted key (" + detail + ")",
        cause);
  }

  private record Parsed(Pbes2Parameters params, byte[] ciphertext) {}

  private static Parsed parse(byte[] der) throws KeygenException {
    Objects.requireNonNull(der, "encryptedPrivateKeyInfo");
    if (der.length > Pem.MAX_DER_LENGTH) {
      throw KeygenErrors.content(
          "EncryptedPrivateKeyInfo of " + der.length + " bytes exceeds " + Pem.MAX_DER_LENGTH);
    }
    EncryptedPrivateKeyInfo epki;
    try {
      ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
      if (prim == null) {
        throw KeygenErrors.content("empty EncryptedPrivateKeyInfo");
      }
      epki = EncryptedPrivateKeyInfo.getInstance(prim);
    } catch (java.io.IOException | RuntimeException e) {
      throw KeygenErrors.content("not a PKCS#8 EncryptedPrivateKeyInfo: " + e.getMessage(), e);
    }
    AlgorithmIdentifier alg = epki.getEncryptionAlgorithm();
    if (!PKCSObjectIdentifiers.id_PBES2.equals(alg.getAlgorithm())) {
      throw KeygenErrors.unsupported(
          "private-key encryption " + alg.getAlgorithm() + " is not PBES2 (1.2.840.113549.1.5.13)");
    }
    PBES2Parameters pbes2;
    PBKDF2Params kdf;
    ASN1Encodable ivParam;
    ASN1ObjectIdentifier cipherOid;
    try {
      pbes2 = PBES2Parameters.getInstance(alg.getParameters());
      if (!PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())) {
        throw KeygenErrors.unsupported(
            "PBES2 key derivation " + pbes2.getKeyDerivationFunc().getAlgorithm()
                + " is not PBKDF2");
      }
      kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
      cipherOid = pbes2.getEncryptionScheme().getAlgorithm();
      ivParam = pbes2.getEncryptionScheme().getParameters();
    } catch (RuntimeException e) {
      throw KeygenErrors.content("malformed PBES2 parameters: " + e.getMessage(), e);
    }
    Pbes2Parameters.Cipher cipher = Pbes2Parameters.Cipher.ofOid(cipherOid.getId());
    if (cipher == null) {
      throw KeygenErrors.unsupported("PBES2 cipher " + cipherOid + " is not supported");
    }
    Pbes2Parameters.Prf prf = Pbes2Parameters.Prf.ofOid(kdf.getPrf().getAlgorithm().getId());
    if (prf == null) {
      throw KeygenErrors.unsupported(
          "PBKDF2 PRF " + kdf.getPrf().getAlgorithm() + " is not supported");
    }
    if (kdf.getKeyLength() != null
        && kdf.getKeyLength().intValue() != cipher.keyLength()) {
      throw KeygenErrors.unsupported(
          "PBKDF2 keyLength " + kdf.getKeyLength() + " does not match " + cipher.opensslName());
    }
    java.math.BigInteger it = kdf.getIterationCount();
    if (it.signum() <= 0 || it.bitLength() > 31 || it.intValue() > Pbes2Parameters.MAX_ITERATIONS) {
      throw KeygenErrors.unsupported(
          "PBKDF2 iteration count " + it + " not in 1.." + Pbes2Parameters.MAX_ITERATIONS);
    }
    byte[] salt = kdf.getSalt();
    byte[] iv;
    if (!(ivParam instanceof ASN1OctetString os)) {
      throw KeygenErrors.content("PBES2 cipher parameters are not an IV OCTET STRING");
    }
    iv = os.getOctets();
    try {
      return new Parsed(
          Pbes2Parameters.of(salt, it.intValue(), prf, cipher, iv), epki.getEncryptedData());
    } catch (IllegalArgumentException e) {
      throw KeygenErrors.content("PBES2 parameters out of range: " + e.getMessage(), e);
    }
  }

  private static byte[] crypt(boolean encrypt, byte[] in, char[] password, Pbes2Parameters p) {
    byte[] pw = utf8(password);
    try {
      PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(digest(p.prf()));
      gen.init(pw, p.salt(), p.iterations());
      KeyParameter key = (KeyParameter) gen.generateDerivedParameters(p.cipher().keyLength() * 8);
      BlockCipher engine =
          p.cipher() == Pbes2Parameters.Cipher.DES_EDE3_CBC ? new DESedeEngine() : AESEngine.newInstance();
      BufferedBlockCipher c =
          new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(engine), new PKCS7Padding());
      c.init(encrypt, new ParametersWithIV(key, p.iv()));
      byte[] out = new byte[c.getOutputSize(in.length)];
      int n = c.processBytes(in, 0, in.length, out, 0);
      n += c.doFinal(out, n);
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("padding", e);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static Digest digest(Pbes2Parameters.Prf prf) {
    return switch (prf) {
      case HMAC_SHA1 -> new SHA1Digest();
      case HMAC_SHA224 -> new SHA224Digest();
      case HMAC_SHA256 -> SHA256Digest.newInstance();
      case HMAC_SHA384 -> new SHA384Digest();
      case HMAC_SHA512 -> new SHA512Digest();
    };
  }

  static byte[] utf8(char[] password) {
    ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }
}
