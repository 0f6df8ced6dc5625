package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.Pem;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyEncryption;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 2, second half: OpenSSL 3 reads what we write ({@code openssl pkey -passin}, {@code
 * openssl x509 -text}) and we read what OpenSSL writes. Runs when an {@code openssl} binary is on
 * the PATH (CI installs it: see .ci/run); with {@code AUTOKEY_REQUIRE_OPENSSL=1} a missing binary
 * fails the test instead.
 */
class OpensslInteropTest {
  static String openssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "openssl");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(openssl());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    return out;
  }

  @Test
  void opensslReadsOurFilesAndWeReadItsFiles(@TempDir Path tmp) throws Exception {
    if ("1".equals(System.getenv("AUTOKEY_REQUIRE_OPENSSL"))) {
      assertTrue(openssl() != null, "AUTOKEY_REQUIRE_OPENSSL=1 but no openssl on the PATH");
    }
    Assumptions.assumeTrue(openssl() != null, "openssl not installed");
    KeyPair kp = TestCerts.rsa(1024);
    RsaKeyFields k = RsaKeyFields.of((RSAPrivateCrtKey) kp.getPrivate());
    long fs = 4004335813L;
    char[] pw = "Open-Pass9".toCharArray();
    KeygenFile host = KeygenFiles.create(KeygenFileName.of("RSAhost", "o.test", fs),
        Filestamps.instant(fs), ZoneOffset.UTC,
        List.of(PrivateKeyBlocks.encrypted(k, pw, Pbes2Parameters.ntpKeygenDefault(TestCerts.RND))));
    Path hf = host.writeTo(tmp);
    String text = run(tmp, "pkey", "-in", hf.getFileName().toString(), "-passin", "pass:Open-Pass9",
        "-noout", "-text");
    assertTrue(text.contains("Private-Key: (1024 bit"), text);
    assertTrue(text.contains("publicExponent: 65537"), text);
    // asn1parse does not skip the header lines (not even in ntp-keygen's own files): PEM only
    Files.writeString(tmp.resolve("host.pem"), KeygenFiles.firstBlock(host).encode());
    String info = run(tmp, "asn1parse", "-in", "host.pem");
    assertTrue(info.contains("PBES2") && info.contains("hmacWithSHA256") && info.contains("des-ede3-cbc"), info);

    byte[] cert = NtpCertificates.selfSigned(new NtpCertificates.Spec("o.test@grp", BigInteger.valueOf(fs), fs,
        365, NtpCertificates.Kind.TRUST_ROOT, new byte[] {0x45, 0x00, 0x11}, kp.getPublic()), kp.getPrivate(),
        SignatureAlgorithm.RSA_SHA256, TestCerts.RND);
    KeygenFile cf = KeygenFiles.create(KeygenFileName.of("RSA-SHA256cert", "o.test", fs), Filestamps.instant(fs),
        ZoneOffset.UTC, List.of(new PemBlock(PemBlock.CERTIFICATE, cert)));
    Path cpath = cf.writeTo(tmp);
    String x = run(tmp, "x509", "-in", cpath.getFileName().toString(), "-noout", "-text");
    assertTrue(x.contains("Signature Algorithm: sha256WithRSAEncryption"), x);
    assertTrue(x.contains("Issuer: CN = o.test@grp"), x);
    assertTrue(x.contains("CA:TRUE"), x);
    assertTrue(x.contains("Digital Signature, Certificate Sign"), x);
    assertTrue(x.contains("45:00:11"), x);
    assertTrue(x.contains("Trust Root"), x);
    assertTrue(x.contains("Serial Number: 4004335813"), x);
    run(tmp, "verify", "-CAfile", cpath.getFileName().toString(), "-no_check_time", "-partial_chain",
        cpath.getFileName().toString());

    // the other way round: OpenSSL encrypts a PKCS#8 key with ntp-keygen's settings, we decrypt it
    Files.write(tmp.resolve("plain.pem"), PrivateKeyBlocks.plain(k).encode().getBytes(StandardCharsets.US_ASCII));
    run(tmp, "pkcs8", "-topk8", "-in", "plain.pem", "-out", "enc.pem", "-v2", "des3", "-v2prf",
        "hmacWithSHA256", "-iter", "2048", "-passout", "pass:Open-Pass9");
    PemBlock enc = Pem.readFirst(Files.readString(tmp.resolve("enc.pem")));
    RsaKeyFields back = (RsaKeyFields) PrivateKeyBlocks.decode(enc, pw);
    assertEquals(k.n(), back.n());
    assertEquals(k.d(), back.d());
    // and re-encrypting with OpenSSL's salt and IV reproduces its bytes exactly
    Pbes2Parameters p = PrivateKeyEncryption.parameters(enc.der());
    assertArrayEquals(enc.der(), PrivateKeyBlocks.encrypted(back, pw, p).der());
  }
}
