package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CookieResponses;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarning;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ServerCookies;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.keygen.HostCredentials;
import dev.autokey.crypto.keygen.KeysDirectory;
import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Item 3 of issue 4: every signed extension field in every capture verifies with the sender's
 * certificate from the run's keys; every COOK response decrypts with the client's host key to the
 * cookie the addresses predict; SIGN responses hold certificates that chain to the server's.
 */
class CaptureCryptoTest {
  private static final Pattern CRYPTO = Pattern.compile("(?m)^crypto\\s+(.*)$");
  private static final Pattern ADDRESSES =
      Pattern.compile("\\| address \\| ([0-9a-fA-F.:]+) .*\\| ([0-9a-fA-F.:]+) ");

  static HostCredentials load(Path side, List<CryptoWarning> warnings) throws Exception {
    String conf = Files.readString(side.resolve("ntp.conf"));
    Matcher m = CRYPTO.matcher(conf);
    String pw = null;
    String host = null;
    while (m.find()) {
      String[] t = m.group(1).trim().split("\\s+");
      for (int i = 0; i + 1 < t.length; i += 2) {
        if (t[i].equals("pw")) {
          pw = t[i + 1];
        } else if (t[i].equals("host")) {
          host = t[i + 1];
        }
      }
    }
    assertNotNull(pw, side + " crypto pw");
    assertNotNull(host, side + " crypto host");
    return KeysDirectory.of(side.resolve("keys"), CryptoPolicy.legacy(warnings::add))
        .loadHost(host, pw.toCharArray());
  }

  static final class Counts {
    int packets;
    int signed;
    int cookies;
    int cookiesPredicted;
    int signResponses;
    int certResponses;
  }

  @Test
  void capturesVerify() throws Exception {
    Counts total = new Counts();
    StringBuilder report = new StringBuilder();
    List<Path> runs = TestData.captureRuns();
    assertTrue(runs.size() >= 9, "capture runs: " + runs);
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    for (Path run : runs) {
      List<CryptoWarning> warnings = new ArrayList<>();
      HostCredentials server = load(run.resolve("server"), warnings);
      HostCredentials client = load(run.resolve("client"), warnings);
      assertFalse(warnings.isEmpty(), "512-bit keys and RSA-MD5 must be reported in legacy mode");
      Matcher am = ADDRESSES.matcher(Files.readString(run.resolve("README.md")));
      assertTrue(am.find(), run + " README addresses");
      InetAddress serverAddr = InetAddress.getByName(am.group(1));
      InetAddress clientAddr = InetAddress.getByName(am.group(2));
      Map<InetAddress, HostCredentials> byAddr = new HashMap<>();
      byAddr.put(serverAddr, server);
      byAddr.put(clientAddr, client);
      boolean symmetric = run.getFileName().toString().contains("symmetric");
      CryptoPolicy legacy = CryptoPolicy.legacy(w -> {});
      Counts c = new Counts();
      for (Pcap.Udp u : Pcap.readUdp(run.resolve("capture.pcap"), 123)) {
        AutokeyPacket p = PacketCodec.ntpd().decode(u.payload());
        c.packets++;
        HostCredentials sender = byAddr.get(u.src());
        assertNotNull(sender, "unknown sender " + u.src() + " in " + run);
        for (ExtensionField ef : p.fields()) {
          if (ef.isError() || !ef.isValueForm()) {
            continue;
          }
          if (ef.isSigned()) {
            SignatureVerifier v = BcSignatures.verifier(
                sender.certificate().publicKey(), sender.signatureAlgorithm(), legacy);
            v.verify(ef.signedBytes(), ef.signature());
            c.signed++;
          }
          if (!ef.isResponse()) {
            continue;
          }
          if (ef.opcode() == Opcode.COOK) {
            HostCredentials receiver = byAddr.get(u.dst());
            assertNotNull(receiver, "COOK response to " + u.dst());
            SignatureVerifier v = BcSignatures.verifier(
                sender.certificate().publicKey(), sender.signatureAlgorithm(), legacy);
            int cookie = CookieResponses.open(v, receiver.cookieCipher(new SecureRandom()),
                ef.timestamp(), ef.filestamp(), ef.value(), ef.signature());
            c.cookies++;
            if (!symmetric) {
              int predicted = ServerCookies.ntpdCompatible()
                  .cookie(md5, AddressPair.of(u.dst(), u.src()), 0);
              assertEquals(predicted, cookie, "cookie in " + run + " frame " + u.frame());
              assertEquals(predicted, md5Cookie(u.dst(), u.src()), "keys helper vs direct MD5");
              c.cookiesPredicted++;
            }
          } else if (ef.opcode() == Opcode.SIGN) {
            byte[] der = ef.value();
            CertificateInfo issued = BcCertificateCodec.INSTANCE.decode(der, 0);
            assertEquals(sender.hostName(), issued.issuer());
            HostCredentials receiver = byAddr.get(u.dst());
            assertEquals(receiver.hostName(), issued.subject());
            assertEquals(receiver.certificate().publicKey(), issued.publicKey());
            BcCertificateCodec.INSTANCE.verify(issued, sender.certificate().publicKey());
            assertEquals(issued.serial().longValueExact(), issued.notBefore());
            assertEquals(NtpCertificates.SIGN_LIFETIME_SECONDS, issued.notAfter() - issued.notBefore());
            c.signResponses++;
          } else if (ef.opcode() == Opcode.CERT) {
            CertificateInfo ci = BcCertificateCodec.INSTANCE.parse(ef.value(), ef.filestamp());
            assertTrue(ci.sameDer(sender.certificate()) || !ci.selfSigned(), "served certificate");
            c.certResponses++;
          }
        }
      }
      report.append(String.format("%-18s packets %3d signed EFs %3d cookies %2d (predicted %2d) SIGN %d CERT %d%n",
          run.getFileName(), c.packets, c.signed, c.cookies, c.cookiesPredicted, c.signResponses,
          c.certResponses));
      total.packets += c.packets;
      total.signed += c.signed;
      total.cookies += c.cookies;
      total.cookiesPredicted += c.cookiesPredicted;
      total.signResponses += c.signResponses;
      total.certResponses += c.certResponses;
    }
    report.append(String.format("TOTAL packets %d signed EFs %d cookies %d (predicted %d) SIGN %d CERT %d%n",
        total.packets, total.signed, total.cookies, total.cookiesPredicted, total.signResponses,
        total.certResponses));
    System.out.print(report);
    assertTrue(total.signed > 0 && total.cookies > 0 && total.signResponses > 0, report.toString());
  }

  static int md5Cookie(InetAddress client, InetAddress server) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    md.update(client.getAddress());
    md.update(server.getAddress());
    md.update(new byte[8]);
    byte[] h = md.digest();
    return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
  }
}
