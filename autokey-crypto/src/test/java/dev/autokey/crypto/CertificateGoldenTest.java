package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.crypto.internal.keygen.DsaKeyFields;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyEncryption;
import dev.autokey.crypto.internal.keygen.PrivateKeyFields;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every sample certificate parses with ntpd's rules, and RSA-signed ones rebuild byte for byte. */
class CertificateGoldenTest {
  record Sample(String dir, String host, String cn, String pw, SignatureAlgorithm alg,
      NtpCertificates.Kind kind, int days, boolean dsa) {}

  static final List<Sample> SAMPLES =
      List.of(
          new Sample("default", "kiwi.shared.test", "kiwi.shared.test", "kiwi.shared.test",
              SignatureAlgorithm.RSA_MD5, NtpCertificates.Kind.ORDINARY, 365, false),
          new Sample("tc-iff", "ntp1.shared.test", "ntp1.shared.test@orchard", "Iff-Pass1",
              SignatureAlgorithm.RSA_MD5, NtpCertificates.Kind.TRUST_ROOT, 365, false),
          new Sample("tc-gq", "ntp2.shared.test", "ntp2.shared.test@meadow", "Gq-Pass3",
              SignatureAlgorithm.RSA_MD5, NtpCertificates.Kind.TRUST_ROOT, 365, false),
          new Sample("tc-mv", "ntp3.shared.test", "ntp3.shared.test@harbor", "Mv-Pass5",
              SignatureAlgorithm.RSA_MD5, NtpCertificates.Kind.TRUST_ROOT, 365, false),
          new Sample("dsa-sign", "ntp4.shared.test", "ntp4.shared.test", "Dsa-Pass7",
              SignatureAlgorithm.DSA_SHA1, NtpCertificates.Kind.ORDINARY, 365, true),
          new Sample("private", "ntp5.shared.test", "ntp5.shared.test", "Pc-Pass8",
              SignatureAlgorithm.RSA_SHA256, NtpCertificates.Kind.PRIVATE, 30, false),
          new Sample("dsa-sign-sha256", "ntp6.shared.test", "ntp6.shared.test", "Dsa-Pass9",
              SignatureAlgorithm.DSA_SHA256, NtpCertificates.Kind.TRUST_ROOT, 365, true));

  static Path only(Path dir, String prefix) throws Exception {
    try (var s = Files.list(dir)) {
      List<Path> l = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertEquals(1, l.size(), prefix + " in " + dir);
      return l.get(0);
    }
  }

  @Test
  void everySampleCertificateParsesAndRebuilds() throws Exception {
    int identical = 0;
    int tbsIdentical = 0;
    for (Sample s : SAMPLES) {
      Path dir = TestData.path("keygen/" + s.dir());
      Path certFile = only(dir, "ntpkey_" + (s.alg().keyType() == SignatureAlgorithm.KeyType.DSA
          ? "RSA-" + s.alg().digest() : s.alg().opensslName()) + "cert_");
      KeygenFile kf = KeygenFile.read(certFile);
      PemBlock pem = KeygenFiles.firstBlock(kf);
      assertEquals(PemBlock.CERTIFICATE, pem.label());
      CertificateInfo c = BcCertificateCodec.INSTANCE.parse(pem.der(), kf.filestamp());
      assertEquals(s.cn(), c.subject());
      assertTrue(c.selfSigned());
      assertEquals(s.kind() == NtpCertificates.Kind.TRUST_ROOT, c.trusted(), s.dir());
      assertEquals(s.kind() == NtpCertificates.Kind.PRIVATE, c.isPrivate(), s.dir());
      assertEquals(s.alg(), c.algorithm().orElseThrow());
      assertEquals(kf.filestamp(), c.serial().longValueExact());
      assertEquals(kf.filestamp(), c.notBefore());
      assertEquals(s.days() * 86400L, c.notAfter() - c.notBefore());
      assertEquals(2, c.version());
      assertEquals(s.dir().equals("tc-gq"), c.gqKey().isPresent());
      if (c.gqKey().isPresent()) {
        assertArrayEquals(c.gqKey().get(), c.subjectKeyIdentifier().get());
        assertEquals(64, c.gqKey().get().length);
      }
      // key material
      Path keyFile = only(dir, s.dsa() ? "ntpkey_DSAsign_" : "ntpkey_RSAhost_");
      PrivateKeyFields k = PrivateKeyBlocks.decode(KeygenFiles.firstBlock(KeygenFile.read(keyFile)), s.pw().toCharArray());
      PrivateKey priv = k instanceof RsaKeyFields r ? r.toJcaPrivateKey() : ((DsaKeyFields) k).toJcaPrivateKey();
      var pub = k instanceof RsaKeyFields r ? r.toJcaPublicKey() : ((DsaKeyFields) k).toJcaPublicKey();
      assertEquals(pub, c.publicKey(), "certificate key = " + keyFile.getFileName());
      NtpCertificates.Spec spec = new NtpCertificates.Spec(
          s.cn(), c.serial(), c.notBefore(), s.days(), s.kind(), c.gqKey().orElse(null), pub);
      byte[] again = NtpCertificates.selfSigned(spec, priv, s.alg(), new SecureRandom());
      CertificateInfo ours = BcCertificateCodec.INSTANCE.parse(again, kf.filestamp());
      assertArrayEquals(c.tbs(), ours.tbs(), "TBS of " + s.dir());
      tbsIdentical++;
      if (!s.dsa()) {
        assertArrayEquals(pem.der(), again, "certificate of " + s.dir());
        KeygenFile rebuilt = KeygenFiles.of(kf.name(), kf.date().orElseThrow(),
            List.of(new PemBlock(PemBlock.CERTIFICATE, again)));
        assertArrayEquals(Files.readAllBytes(certFile), rebuilt.toBytes());
        identical++;
      }
    }
    assertEquals(7, tbsIdentical);
    assertEquals(5, identical);
  }

  @Test
  void longLifetimeUsesGeneralizedTimeFrom2050AndAesKeysRoundTrip() throws Exception {
    var kp = TestCerts.rsa(1024);
    long fs = 4004335814L;
    byte[] der = NtpCertificates.selfSigned(new NtpCertificates.Spec("ntp6.test", java.math.BigInteger.valueOf(fs),
        fs, 9000, NtpCertificates.Kind.PRIVATE, null, kp.getPublic()), kp.getPrivate(),
        SignatureAlgorithm.RSA_MD5, new SecureRandom());
    CertificateInfo c = BcCertificateCodec.INSTANCE.parse(der, fs);
    assertEquals(9000 * 86400L, c.notAfter() - c.notBefore());
    assertTrue(c.notAfter() > 0xFFFF_FFFFL, "2051 is beyond NTP era 0 and kept unwrapped");
    String hex = java.util.HexFormat.of().formatHex(der);
    assertTrue(hex.contains("170d" + "3236313132323131333031345a"), "notBefore UTCTime 261122113014Z");
    assertTrue(hex.contains("180f" + "32303531303731343131333031345a"), "notAfter GeneralizedTime 20510714113014Z");
    // -C aes-256-cbc / aes-128-cbc keys
    RsaKeyFields k = RsaKeyFields.of((java.security.interfaces.RSAPrivateCrtKey) kp.getPrivate());
    for (var cipher : new Pbes2Parameters.Cipher[] {
        Pbes2Parameters.Cipher.AES_256_CBC,
        Pbes2Parameters.Cipher.AES_128_CBC}) {
      PemBlock b = PrivateKeyBlocks.encrypted(k, "pw".toCharArray(),
          Pbes2Parameters.random(new SecureRandom(), cipher));
      assertEquals(cipher, PrivateKeyEncryption.parameters(b.der()).cipher());
      assertEquals(k.n(), ((RsaKeyFields) PrivateKeyBlocks.decode(b, "pw".toCharArray())).n());
    }
  }
}
