package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.DsaDer;
import dev.autokey.crypto.internal.RsaOaep;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.DSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.junit.jupiter.api.Test;

/** Item 4: Wycheproof RSA-OAEP-SHA1, RSA PKCS#1 v1.5 and DSA vectors give the expected verdicts. */
@SuppressWarnings("unchecked")
class WycheproofTest {
  static final HexFormat HEX = HexFormat.of();
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);

  static Map<String, Object> load(String name) throws Exception {
    try (InputStream in = WycheproofTest.class.getResourceAsStream("/wycheproof/" + name)) {
      return (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  static byte[] hex(Object o) {
    return HEX.parseHex((String) o);
  }

  @Test
  void rsaOaepSha1() throws Exception {
    int valid = 0;
    int invalid = 0;
    int acceptable = 0;
    int groups = 0;
    for (String file : new String[] {"rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa_oaep_misc_test.json"}) {
      for (Map<String, Object> g : list(load(file).get("testGroups"))) {
        if (!"SHA-1".equals(g.get("sha")) || !"SHA-1".equals(g.get("mgfSha"))) {
          continue; // Autokey uses only OAEP with SHA-1 / MGF1-SHA-1
        }
        groups++;
        RsaKeyFields k = (RsaKeyFields) PrivateKeyBlocks.fromPrivateKeyInfo(hex(g.get("privateKeyPkcs8")));
        RSAKeyParameters priv = (RSAKeyParameters) BcKeys.privateParams(k.toJcaPrivateKey());
        for (Map<String, Object> t : list(g.get("tests"))) {
          String result = (String) t.get("result");
          byte[] ct = hex(t.get("ct"));
          byte[] label = hex(t.get("label"));
          byte[] msg = hex(t.get("msg"));
          String id = file + " tcId " + t.get("tcId") + " " + t.get("comment");
          byte[] got = null;
          try {
            got = RsaOaep.decrypt(priv, ct, label, new SecureRandom());
          } catch (InvalidCipherTextException e) {
            got = null;
          }
          switch (result) {
            case "valid" -> {
              assertArrayEquals(msg, got, id);
              valid++;
            }
            case "invalid" -> {
              assertEquals(null, got, id);
              invalid++;
            }
            default -> {
              acceptable++;
              if (got != null) {
                assertArrayEquals(msg, got, id);
              }
            }
          }
          // the cookie path (empty label): accepts exactly the valid 4-byte plaintexts
          if (label.length == 0 && k.bits() >= 368) {
            BcCookieCipher cc = BcCookieCipher.withHostKey(k.toJcaPrivateKey(), LEGACY, new SecureRandom());
            boolean ok = result.equals("valid") && msg.length == 4;
            if (ok) {
              int cookie = cc.decrypt(ct);
              assertEquals(java.nio.ByteBuffer.wrap(msg).getInt(), cookie, id);
            } else if (!result.equals("acceptable")) {
              AutokeyException e = assertThrows(AutokeyException.class, () -> cc.decrypt(ct), id);
              assertEquals(XEvent.CKY, e.event());
            }
          }
        }
      }
    }
    System.out.printf("Wycheproof OAEP SHA-1: %d groups, %d valid, %d invalid, %d acceptable%n",
        groups, valid, invalid, acceptable);
    assertEquals(5, groups);
    assertTrue(valid > 0 && invalid > 0);
  }

  static PublicKey publicKey(String alg, byte[] spki) throws Exception {
    return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
  }

  @Test
  void rsaPkcs1Verify() throws Exception {
    int valid = 0;
    int invalid = 0;
    int acceptableAccepted = 0;
    int acceptableRejected = 0;
    for (Map<String, Object> g : list(load("rsa_signature_2048_sha256_test.json").get("testGroups"))) {
      PublicKey pub = publicKey("RSA", hex(g.get("publicKeyDer")));
      SignatureVerifier v = BcSignatures.verifier(pub, SignatureAlgorithm.RSA_SHA256, LEGACY);
      for (Map<String, Object> t : list(g.get("tests"))) {
        String id = "tcId " + t.get("tcId") + " " + t.get("comment");
        byte[] msg = hex(t.get("msg"));
        byte[] sig = hex(t.get("sig"));
        boolean ok;
        try {
          v.verify(msg, sig);
          ok = true;
        } catch (AutokeyException e) {
          assertTrue(e.event() == XEvent.SIG || e.event() == XEvent.SGL || e.event() == XEvent.ERR, id);
          ok = false;
        }
        switch ((String) t.get("result")) {
          case "valid" -> {
            assertTrue(ok, id);
            valid++;
          }
          case "invalid" -> {
            assertTrue(!ok, id);
            invalid++;
          }
          default -> {
            if (ok) {
              acceptableAccepted++;
            } else {
              acceptableRejected++;
            }
          }
        }
      }
    }
    System.out.printf("Wycheproof RSA PKCS#1 verify: %d valid, %d invalid, acceptable accepted %d / rejected %d%n",
        valid, invalid, acceptableAccepted, acceptableRejected);
    assertEquals(9, valid);
    assertEquals(249, invalid);
    assertEquals(1, acceptableRejected, "missing NULL refused, as OpenSSL 1.1.1 RSA_verify does");
  }

  @Test
  void rsaPkcs1SignKnownAnswers() throws Exception {
    int n = 0;
    for (Map<String, Object> g : list(load("rsa_pkcs1_1024_sig_gen_test.json").get("testGroups"))) {
      String sha = ((String) g.get("sha")).replace("-", "");
      SignatureAlgorithm alg = SignatureAlgorithm.of(SignatureAlgorithm.KeyType.RSA, sha).orElseThrow();
      RsaKeyFields k = (RsaKeyFields) PrivateKeyBlocks.fromPrivateKeyInfo(hex(g.get("privateKeyPkcs8")));
      Signer s = BcSignatures.signer(k.toJcaPrivateKey(), alg, new SecureRandom());
      SignatureVerifier v = BcSignatures.verifier(k.toJcaPublicKey(), alg, LEGACY);
      for (Map<String, Object> t : list(g.get("tests"))) {
        byte[] msg = hex(t.get("msg"));
        byte[] sig = hex(t.get("sig"));
        String id = "tcId " + t.get("tcId");
        if (((String) t.get("result")).equals("invalid")) {
          fail("no invalid vectors expected in the generation file: " + id);
        }
        assertArrayEquals(sig, s.sign(msg), id);
        v.verify(msg, sig);
        n++;
      }
    }
    System.out.printf("Wycheproof RSA PKCS#1 sign known answers: %d%n", n);
    assertEquals(33, n);
  }

  @Test
  void dsaVerify() throws Exception {
    int valid = 0;
    int invalid = 0;
    int shorter = 0;
    int sglRefused = 0;
    int acceptable = 0;
    for (Map<String, Object> g : list(load("dsa_2048_224_sha256_test.json").get("testGroups"))) {
      DSAPublicKey pub = (DSAPublicKey) publicKey("DSA", hex(g.get("publicKeyDer")));
      DSAPublicKeyParameters params = (DSAPublicKeyParameters) BcKeys.publicParams(pub);
      SignatureVerifier v = BcSignatures.verifier(pub, SignatureAlgorithm.DSA_SHA256, LEGACY);
      assertEquals(64, v.signatureLength(), "DSA_size for a 224-bit q: the maximum length");
      for (Map<String, Object> t : list(g.get("tests"))) {
        String id = "tcId " + t.get("tcId") + " " + t.get("comment");
        byte[] msg = hex(t.get("msg"));
        byte[] sig = hex(t.get("sig"));
        boolean ok = DsaDer.verify(params, "SHA256", msg, sig);
        XEvent refused = null;
        try {
          v.verify(msg, sig);
        } catch (AutokeyException e) {
          refused = e.event();
        }
        // the extension-field verifier agrees with the plain DER verifier on every vector; it
        // refuses with XEVNT_SGL exactly the encodings longer than DSA_size, XEVNT_ERR the empty
        // one, XEVNT_SIG every other refusal
        assertEquals(ok, refused == null, id);
        if (refused != null) {
          XEvent want = sig.length == 0 ? XEvent.ERR : sig.length > 64 ? XEvent.SGL : XEvent.SIG;
          assertEquals(want, refused, id);
          if (refused == XEvent.SGL) {
            sglRefused++;
          }
        }
        switch ((String) t.get("result")) {
          case "valid" -> {
            assertTrue(ok, id);
            if (sig.length < 64) {
              shorter++;
            }
            valid++;
          }
          case "invalid" -> {
            assertTrue(!ok, id);
            invalid++;
          }
          default -> {
            acceptable++;
            assertTrue(!ok, "BER-ish 'missing zero' encoding refused: " + id);
          }
        }
      }
    }
    System.out.printf("Wycheproof DSA: %d valid, all accepted by the extension-field verifier "
        + "(%d shorter than DSA_size); %d invalid and %d acceptable refused (%d of them with "
        + "XEVNT_SGL: longer than DSA_size)%n", valid, shorter, invalid, acceptable, sglRefused);
    assertEquals(80, valid);
    assertEquals(75, shorter);
    assertEquals(110, sglRefused);
    assertEquals(283, invalid);
  }
}
