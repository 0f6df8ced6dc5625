package dev.autokey.crypto.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.HostCredentials;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeysDirectory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Key folders written by {@link KeyFolderWriter} read back as ntpd would open them. */
class KeyFolderWriterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T12:05:36Z"), ZoneOffset.UTC);
  private static final long FS = 4004337936L;

  @TempDir Path tmp;

  private static KeygenFile open(Path dir, String link) throws Exception {
    Path p = dir.resolve(link);
    assertTrue(Files.isSymbolicLink(p), link + " is a link");
    assertFalse(Files.readSymbolicLink(p).isAbsolute(), link + " is relative");
    return KeygenFile.read(p);
  }

  @ParameterizedTest
  @EnumSource(value = IdentityScheme.class, names = {"TC", "IFF", "GQ", "MV"})
  void foldersReadBackAndCompleteTheExchange(IdentityScheme scheme) throws Exception {
    KeyFolderWriter w = KeyFolderWriter.builder().scheme(scheme).group("labgroup")
        .random(Groups.random(scheme.ordinal())).clock(CLOCK).build();
    assertEquals(FS, w.filestamp());
    Path s = tmp.resolve("server/keys");
    Path c = tmp.resolve("client/keys");
    List<Path> sw = w.writeServer(s, "server", "serverpw".toCharArray());
    List<Path> cw = w.writeClient(c, "client", "clientpw".toCharArray());
    assertEquals(scheme == IdentityScheme.TC ? 4 : 6, sw.size());
    assertEquals(scheme == IdentityScheme.TC ? 4 : 6, cw.size());

    // host keys decrypt with the passwords and match their certificates
    X509CertificateHolder serverCert = checkHost(s, "server", "serverpw", "server@labgroup");
    X509CertificateHolder clientCert = checkHost(c, "client", "clientpw", "client@labgroup");
    assertTrue(serverCert.getExtension(Extension.extendedKeyUsage) != null, "server trusted");
    assertNull(clientCert.getExtension(Extension.extendedKeyUsage));
    assertNull(clientCert.getExtension(Extension.subjectKeyIdentifier));

    // the crypto package's crypto_setup rules accept both folders
    for (String[] h : new String[][] {{"server", "serverpw"}, {"client", "clientpw"}}) {
      KeysDirectory kd = KeysDirectory.of(s.getParent().getParent().resolve(h[0] + "/keys"),
          CryptoPolicy.legacy(warning -> { }));
      HostCredentials hc = kd.loadHost(h[0], h[1].toCharArray());
      assertEquals(h[0] + "@labgroup", hc.hostName());
      assertEquals(FS, hc.hostKeyFilestamp());
      if (scheme.hasChallenge()) {
        String role = scheme.name().toLowerCase(java.util.Locale.ROOT)
            + (h[0].equals("server") ? "key" : "par");
        assertTrue(kd.identityFiles("labgroup").containsKey(role), role + " found by name");
      }
    }
    if (!scheme.hasChallenge()) {
      assertNull(serverCert.getExtension(Extension.subjectKeyIdentifier));
      assertEquals("server 192.0.2.1 autokey", w.clientServerLine("192.0.2.1"));
      return;
    }
    assertEquals("server 192.0.2.1 autokey ident labgroup", w.clientServerLine("192.0.2.1"));
    assertEquals("crypto pw serverpw host server ident labgroup",
        w.serverCryptoLine("server", "serverpw"));
    char[] spw = "serverpw".toCharArray();
    IdentityServer bob;
    IdentityClient alice;
    switch (scheme) {
      case IFF:
        bob = IdentityFiles.readIffKey(open(s, "ntpkey_iffkey_labgroup"), spw).server();
        alice = IdentityFiles.readIffParameters(open(c, "ntpkey_iffpar_labgroup"), null).client();
        break;
      case GQ: {
        GqKey k = IdentityFiles.readGqKey(open(s, "ntpkey_gqkey_labgroup"), spw);
        byte[] ski = serverCert.getExtension(Extension.subjectKeyIdentifier)
            .getExtnValue().getOctets();
        BigInteger v = GqParameters.publicValueFromSubjectKeyIdentifier(ski);
        assertEquals(k.v(), v);
        // ntpd reads v by skipping two bytes: the short form must hold
        assertEquals(ski.length - 2, ski[1] & 0xff);
        bob = k.server();
        alice = IdentityFiles.readGqParameters(open(c, "ntpkey_gqpar_labgroup"), null).client(v);
        // the ntpd-usable layout: server e = u, d = b; client d = b
        RsaKeyFields f = (RsaKeyFields) PrivateKeyBlocks.decode(
            KeygenFiles.firstBlock(open(s, "ntpkey_gqkey_labgroup")), spw);
        assertEquals(k.u(), f.e());
        assertEquals(k.b(), f.d());
        break;
      }
      default:
        bob = IdentityFiles.readMvServerKey(open(s, "ntpkey_mvkey_labgroup"), null).server();
        MvClientKey ck = IdentityFiles.readMvClientKey(open(c, "ntpkey_mvpar_labgroup"), null);
        assertEquals(256, ck.p().bitLength(), "byte-aligned p against ntpd's short challenges");
        alice = ck.client();
        assertEquals(PosixFilePermissions.fromString("rw-------"),
            Files.getPosixFilePermissions(s.resolve("ntpkey_mvkey_labgroup")));
    }
    assertEquals(FS, bob.filestamp());
    assertEquals(FS, alice.filestamp());
    for (int i = 0; i < 20; i++) {
      IdentityChallenge ch = alice.challenge(Groups.random(100 + i));
      alice.verify(ch, bob.respond(ch.value(), Groups.random(200 + i)), bob.filestamp());
    }
  }

  private static X509CertificateHolder checkHost(Path dir, String host, String pw, String cn)
      throws Exception {
    RsaKeyFields key = (RsaKeyFields) PrivateKeyBlocks.decode(
        KeygenFiles.firstBlock(open(dir, "ntpkey_host_" + host)), pw.toCharArray());
    assertTrue(key.isConsistentRsaKey());
    assertEquals(512, key.bits());
    KeygenFile certFile = open(dir, "ntpkey_cert_" + host);
    assertEquals("ntpkey_RSA-MD5cert_" + host + "." + FS, certFile.name());
    assertEquals(FS, certFile.filestamp());
    X509CertificateHolder h = new X509CertificateHolder(KeygenFiles.firstBlock(certFile).der());
    assertEquals("CN=" + cn, h.getSubject().toString());
    assertEquals(h.getSubject(), h.getIssuer());
    assertEquals(BigInteger.valueOf(FS), h.getSerialNumber());
    assertEquals(Instant.parse("2026-11-22T12:05:36Z"), h.getNotBefore().toInstant());
    assertArrayEquals(key.publicKeyPkcs1(),
        h.getSubjectPublicKeyInfo().parsePublicKey().getEncoded());
    assertTrue(h.isSignatureValid(new JcaContentVerifierProviderBuilder().build(h)));
    return h;
  }

  @ParameterizedTest
  @EnumSource(value = IdentityScheme.class, names = {"IFF", "GQ", "MV"})
  void ntpKeygenFlavourWritesWhatNtpKeygenWrites(IdentityScheme scheme) throws Exception {
    KeyFolderWriter w = KeyFolderWriter.builder().scheme(scheme).group("labgroup")
        .flavour(IdentityFileFlavour.NTP_KEYGEN).random(Groups.random(40)).clock(CLOCK).build();
    Path c = tmp.resolve("client");
    w.writeClient(c, "client", "clientpw".toCharArray());
    String type = scheme.name().toLowerCase(java.util.Locale.ROOT) + "par";
    KeygenFile par = open(c, "ntpkey_" + type + "_labgroup");
    assertEquals("PRIVATE KEY", KeygenFiles.firstBlock(par).label());
  }

  @org.junit.jupiter.api.Test
  void rewritingAFolderNeedsTheReplaceOption() throws Exception {
    Path s = tmp.resolve("server/keys");
    KeyFolderWriter.Builder b = KeyFolderWriter.builder().scheme(IdentityScheme.MV)
        .group("labgroup").random(Groups.random(41)).clock(CLOCK);
    List<Path> first = b.build().writeServer(s, "server", "serverpw".toCharArray());
    Path hostKey = s.resolve("ntpkey_RSAhost_server." + FS);
    Path cert = s.resolve("ntpkey_RSA-MD5cert_server." + FS);
    Path mvKey = s.resolve("ntpkey_mvkey_labgroup." + FS);
    assertEquals(List.of(hostKey, s.resolve("ntpkey_host_server"), cert,
        s.resolve("ntpkey_cert_server"), mvKey, s.resolve("ntpkey_mvkey_labgroup")), first);
    assertEquals("rw-------", mode(hostKey));
    assertEquals("rw-------", mode(mvKey));
    assertEquals("rw-r--r--", mode(cert));
    byte[] oldKey = Files.readAllBytes(hostKey);
    // the same clock gives the same file names: refused by default, the folder untouched
    java.nio.file.FileAlreadyExistsException e = assertThrows(
        java.nio.file.FileAlreadyExistsException.class,
        () -> b.build().writeServer(s, "server", "serverpw".toCharArray()));
    assertEquals(hostKey.toString(), e.getFile());
    assertArrayEquals(oldKey, Files.readAllBytes(hostKey));
    b.overwrite(KeygenFile.Overwrite.REPLACE).build()
        .writeServer(s, "server", "serverpw".toCharArray());
    assertFalse(java.util.Arrays.equals(oldKey, Files.readAllBytes(hostKey)), "a new host key");
    assertEquals("rw-------", mode(hostKey));
    try (java.util.stream.Stream<Path> entries = Files.list(s)) {
      assertEquals(6, entries.count(), "no temporary files");
    }
  }

  private static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @org.junit.jupiter.api.Test
  void refusesWhatNtpdCannotUse() {
    assertThrows(IllegalArgumentException.class, () -> KeyFolderWriter.builder()
        .scheme(IdentityScheme.GQ).group("g").identityBits(1024).random(Groups.random(1))
        .build());
    assertThrows(IllegalArgumentException.class, () -> KeyFolderWriter.builder()
        .scheme(IdentityScheme.IFF).random(Groups.random(1)).build());
    assertThrows(IllegalArgumentException.class, () -> KeyFolderWriter.builder()
        .scheme(IdentityScheme.PC).group("g").random(Groups.random(1)).build());
  }
}
