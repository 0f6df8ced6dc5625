package dev.autokey.crypto.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.internal.keygen.DsaKeyFields;
import dev.autokey.crypto.internal.keygen.IdentityBlocks;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyEncryption;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.testing.TestData;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Identity key files against the real ones: ntp-keygen 4.2.8p15's samples (testdata/keygen) are
 * read and re-written byte for byte by the {@code NTP_KEYGEN} flavour; the repaired files with
 * which two real ntpd 4.2.8p15 completed IFF, GQ and MV (testdata/captures) are re-written byte
 * for byte by the {@code NTPD_USABLE} flavour.
 */
class IdentityFilesTest {
  private static final ZoneOffset UTC = ZoneOffset.UTC;

  private static KeygenFile sample(String dir, String name) throws Exception {
    return KeygenFile.read(TestData.path("keygen/" + dir + "/" + name));
  }

  private static KeygenFile run(String path) throws Exception {
    return KeygenFile.read(TestData.path("captures/" + path));
  }

  private static Pbes2Parameters encryptionOf(KeygenFile f) throws Exception {
    return PrivateKeyEncryption.parameters(KeygenFiles.firstBlock(f).der());
  }

  private static void assertSameBytes(KeygenFile expected, KeygenFile actual) {
    assertEquals(new String(expected.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1),
        new String(actual.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
    assertArrayEquals(expected.toBytes(), actual.toBytes());
  }

  // ------------------------------------------------------------- ntp-keygen samples

  @Test
  void iffSamplesReadAndRebuildByteForByte() throws Exception {
    char[] pw = "Iff-Pass1".toCharArray();
    char[] exportPw = "Iff-Export2".toCharArray();
    KeygenFile group = sample("tc-iff", "ntpkey_IFFkey_orchard.4004335813");
    KeygenFile export = sample("tc-iff", "ntpkey_iffkey_orchard.4004335813");
    KeygenFile par = sample("tc-iff", "ntpkey_iffpar_orchard.4004335813");
    IffKey key = IdentityFiles.readIffKey(group, pw);
    assertEquals(4004335813L, key.filestamp());
    assertEquals(512, key.p().bitLength());
    assertEquals(160, key.q().bitLength());
    IffKey exported = IdentityFiles.readIffKey(export, exportPw);
    assertEquals(key.b(), exported.b());
    // g^b * v == 1 (mod p), the relation ntp-keygen confirms
    assertEquals(BigInteger.ONE, key.g().modPow(key.b(), key.p()).multiply(key.v()).mod(key.p()));

    assertSameBytes(group, IdentityBlocks.file(IdentityFiles.IFF_GROUP_TYPE, "orchard",
        key.filestamp(), UTC, List.of(IdentityBlocks.iffKeyBlock(key, pw, encryptionOf(group)))));
    assertSameBytes(export, IdentityBlocks.file("iffkey", "orchard", key.filestamp(), UTC,
        List.of(IdentityBlocks.iffKeyBlock(key, exportPw, encryptionOf(export)))));
    assertSameBytes(par, IdentityBlocks.file("iffpar", "orchard", key.filestamp(), UTC,
        List.of(IdentityBlocks.iffParametersBlock(key.parameters(),
            IdentityFileFlavour.NTP_KEYGEN))));

    // the -e export lost v: a clear failure naming it
    KeygenException e = assertThrows(KeygenException.class,
        () -> IdentityFiles.readIffParameters(par, null));
    assertEquals(XEvent.ID, e.event());
    assertTrue(e.getMessage().contains("public value v is missing"), e.getMessage());
    // a client may use the server key file instead: v is recomputed from b
    assertEquals(key.v(), IdentityFiles.readIffParameters(group, pw).v());
    // and the client export is not a server key
    KeygenException notServer = assertThrows(KeygenException.class,
        () -> IdentityFiles.readIffKey(par, null));
    assertTrue(notServer.getMessage().contains("placeholder"), notServer.getMessage());
  }

  @Test
  void gqSamplesReadAndRebuildByteForByte() throws Exception {
    char[] pw = "Gq-Pass3".toCharArray();
    char[] exportPw = "Gq-Export4".toCharArray();
    KeygenFile group = sample("tc-gq", "ntpkey_GQkey_meadow.4004335813");
    KeygenFile export = sample("tc-gq", "ntpkey_gqkey_meadow.4004335813");
    KeygenFile par = sample("tc-gq", "ntpkey_gqpar_meadow.4004335813");
    GqKey key = IdentityFiles.readGqKey(group, pw);
    assertEquals(512, key.n().bitLength());
    assertEquals(key.v(), IdentityFiles.readGqKey(export, exportPw).v());
    GqParameters p = IdentityFiles.readGqParameters(par, null);
    assertEquals(key.n(), p.n());
    assertEquals(key.b(), p.b());

    assertSameBytes(group, IdentityBlocks.file(IdentityFiles.GQ_GROUP_TYPE, "meadow",
        key.filestamp(), UTC, List.of(IdentityBlocks.gqKeyBlock(
            key, IdentityFileFlavour.NTP_KEYGEN, pw, encryptionOf(group)))));
    assertSameBytes(export, IdentityBlocks.file("gqkey", "meadow", key.filestamp(), UTC,
        List.of(IdentityBlocks.gqKeyBlock(
            key, IdentityFileFlavour.NTP_KEYGEN, exportPw, encryptionOf(export)))));
    assertSameBytes(par, IdentityBlocks.file("gqpar", "meadow", key.filestamp(), UTC,
        List.of(IdentityBlocks.gqParametersBlock(p, IdentityFileFlavour.NTP_KEYGEN))));

    // the certificate of the same run publishes v in its subjectKeyIdentifier
    KeygenFile cert = sample("tc-gq", "ntpkey_RSA-MD5cert_ntp2.shared.test.4004335813");
    byte[] ski = new org.bouncycastle.cert.X509CertificateHolder(KeygenFiles.firstBlock(cert).der())
        .getExtension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier)
        .getExtnValue().getOctets();
    assertEquals(key.v(), GqParameters.publicValueFromSubjectKeyIdentifier(ski));
    assertArrayEquals(ski, GqParameters.subjectKeyIdentifierFor(key.v()));
  }

  @Test
  void mvSamplesLostValuesAndKeepTheirLayout() throws Exception {
    char[] exportPw = "Mv-Export6".toCharArray();
    char[] pw = "Mv-Pass5".toCharArray();
    KeygenFile server = sample("tc-mv", "ntpkey_mvkey_harbor.4004335813");
    KeygenFile client = sample("tc-mv", "ntpkey_mvpar_harbor.4004335813");
    KeygenFile ta = sample("tc-mv", "ntpkey_MVta_harbor.4004335813");
    KeygenException noGhat = assertThrows(KeygenException.class,
        () -> IdentityFiles.readMvServerKey(server, exportPw));
    assertTrue(noGhat.getMessage().contains("ghat is missing"), noGhat.getMessage());
    KeygenException noXhat = assertThrows(KeygenException.class,
        () -> IdentityFiles.readMvClientKey(client, null));
    assertTrue(noXhat.getMessage().contains("xhat is missing"), noXhat.getMessage());
    KeygenException noB = assertThrows(KeygenException.class,
        () -> IdentityFiles.readMvGroup(ta, pw));
    assertTrue(noB.getMessage().contains("group key b is missing"), noB.getMessage());
    assertEquals(10, KeygenFiles.blocks(ta).size());

    // byte format: the writer reproduces the files from the values they do hold (the lost
    // ghat / xhat do not enter the ntp-keygen flavour, so any stand-in gives the same bytes)
    DsaKeyFields s = (DsaKeyFields) PrivateKeyBlocks.decode(KeygenFiles.firstBlock(server), exportPw);
    MvServerKey sk = MvServerKey.of(s.p(), s.q(), s.g(), s.x(), s.x(), server.filestamp());
    assertSameBytes(server, IdentityBlocks.file("mvkey", "harbor", server.filestamp(), UTC,
        List.of(IdentityBlocks.mvServerKeyBlock(
            sk, IdentityFileFlavour.NTP_KEYGEN, exportPw, encryptionOf(server)))));
    DsaKeyFields c = (DsaKeyFields) PrivateKeyBlocks.decode(KeygenFiles.firstBlock(client), null);
    MvClientKey ck = MvClientKey.of(c.p(), c.x(), BigInteger.ONE, client.filestamp());
    assertSameBytes(client, IdentityBlocks.file("mvpar", "harbor", client.filestamp(), UTC,
        List.of(IdentityBlocks.mvClientKeyBlock(ck, IdentityFileFlavour.NTP_KEYGEN))));
  }

  // ------------------------------------------------------------- ntpd-usable = what ntpd ran with

  @Test
  void ntpdUsableIffParametersEqualTheFileNtpdCompletedIffWith() throws Exception {
    IffKey key = IdentityFiles.readIffKey(
        run("iff-client/server/keys/ntpkey_IFFkey_labgroup.4004337936"), "serverpw".toCharArray());
    KeygenFile ours = IdentityBlocks.file("iffpar", "labgroup", key.filestamp(), UTC, List.of(
        IdentityBlocks.iffParametersBlock(key.parameters(), IdentityFileFlavour.NTPD_USABLE)));
    assertSameBytes(run("iff-client/exported/iffpar.fixed"), ours);
    assertSameBytes(run("iff-client/client/keys/ntpkey_iffpar_labgroup.4004337936"), ours);
    assertEquals(key.v(), IdentityFiles.readIffParameters(ours, null).v());
  }

  @Test
  void ntpdUsableGqFilesEqualTheFilesNtpdCompletedGqWith() throws Exception {
    GqKey key = IdentityFiles.readGqKey(
        run("gq-client/server/keys/ntpkey_GQkey_labgroup.4004338000"), "serverpw".toCharArray());
    KeygenFile server = IdentityBlocks.file(IdentityFiles.GQ_GROUP_TYPE, "labgroup",
        key.filestamp(), UTC, List.of(IdentityBlocks.gqKeyBlock(
            key, IdentityFileFlavour.NTPD_USABLE, null, null)));
    assertSameBytes(run("gq-client/server/keys/ntpkey_GQkey_labgroup.4004338000.fixed"), server);
    KeygenFile par = IdentityBlocks.file("gqpar", "labgroup", key.filestamp(), UTC, List.of(
        IdentityBlocks.gqParametersBlock(key.parameters(), IdentityFileFlavour.NTPD_USABLE)));
    assertSameBytes(run("gq-client/exported/gqpar.fixed"), par);
    // the layout: e = u, d = b (server); d = b (client)
    RsaKeyFields f = (RsaKeyFields) PrivateKeyBlocks.decode(KeygenFiles.firstBlock(server), null);
    assertEquals(key.u(), f.e());
    assertEquals(key.b(), f.d());
    GqKey back = IdentityFiles.readGqKey(server, null);
    assertEquals(key.u(), back.u());
    assertEquals(key.b(), back.b());
  }

  @Test
  void ntpdUsableMvFilesEqualTheFilesNtpdCompletedMvWith() throws Exception {
    Map<String, BigInteger> v = mvValues("mv-client/exported/mv-values.txt");
    long fs = 4004338065L;
    MvServerKey server = MvServerKey.of(v.get("p"), v.get("q"), v.get("E"), v.get("gbar"),
        v.get("ghat"), fs);
    MvClientKey client = MvClientKey.of(v.get("p"), v.get("xbar[1]"), v.get("xhat[1]"), fs);
    KeygenFile sf = IdentityBlocks.file("mvkey", "labgroup", fs, UTC, List.of(
        IdentityBlocks.mvServerKeyBlock(server, IdentityFileFlavour.NTPD_USABLE, null, null)));
    KeygenFile cf = IdentityBlocks.file("mvpar", "labgroup", fs, UTC, List.of(
        IdentityBlocks.mvClientKeyBlock(client, IdentityFileFlavour.NTPD_USABLE)));
    assertSameBytes(run("mv-client/exported/ntpkey_mvkey_labgroup.4004338065"), sf);
    assertSameBytes(run("mv-client/exported/ntpkey_mvpar_labgroup.4004338065"), cf);
    // the whole group from those values, as a trusted-authority file, reads back
    List<MvClientKey> clients = new java.util.ArrayList<>();
    for (int j = 1; j <= 4; j++) {
      clients.add(MvClientKey.of(v.get("p"), v.get("xbar[" + j + "]"), v.get("xhat[" + j + "]"),
          fs));
    }
    MvGroup group = MvGroup.of(v.get("p"), v.get("q"), v.get("g"), v.get("A"), v.get("b"),
        server, clients);
    assertEquals(4, group.revokedKey()); // mv-values.txt: verifies[4] False
    KeygenFile taf = IdentityBlocks.file(IdentityFiles.MV_TA_TYPE, "labgroup", fs, UTC,
        IdentityBlocks.mvTrustedAuthorityBlocks(group, IdentityFileFlavour.NTPD_USABLE, null,
            Groups.random(1)));
    MvGroup back = IdentityFiles.readMvGroup(KeygenFile.parse(taf.toBytes()), null);
    assertEquals(group.b(), back.b());
    assertEquals(group.serverKey().ghat(), back.serverKey().ghat());
    assertEquals(group.clientKey(3).xhat(), back.clientKey(3).xhat());
  }

  private static Map<String, BigInteger> mvValues(String path) throws Exception {
    Map<String, BigInteger> m = new HashMap<>();
    for (String line : Files.readAllLines(TestData.path("captures/" + path))) {
      String[] w = line.trim().split(" ");
      if (line.startsWith("#") || w.length != 2 || w[1].equals("True") || w[1].equals("False")) {
        continue;
      }
      m.put(w[0], new BigInteger(w[1], 16));
    }
    return m;
  }

  // ------------------------------------------------------------- round trips of generated keys

  @Test
  void generatedKeysRoundTripInBothFlavours() throws Exception {
    char[] pw = "round-trip".toCharArray();
    for (IdentityFileFlavour fl : IdentityFileFlavour.values()) {
      IffKey iff = Groups.IFF;
      KeygenFile kf = reparse(IdentityBlocks.file("iffkey", "g", iff.filestamp(), UTC, List.of(
          IdentityBlocks.iffKeyBlock(iff, pw, Pbes2Parameters.ntpKeygenDefault(Groups.random(7))))));
      assertEquals(iff.b(), IdentityFiles.readIffKey(kf, pw).b());
      KeygenFile pf = reparse(IdentityBlocks.file("iffpar", "g", iff.filestamp(), UTC, List.of(
          IdentityBlocks.iffParametersBlock(iff.parameters(), fl))));
      if (fl == IdentityFileFlavour.NTPD_USABLE) {
        assertEquals(iff.v(), IdentityFiles.readIffParameters(pf, null).v());
      } else {
        assertThrows(KeygenException.class, () -> IdentityFiles.readIffParameters(pf, null));
      }

      GqKey gq = Groups.GQ;
      KeygenFile gk = reparse(IdentityBlocks.file("gqkey", "g", gq.filestamp(), UTC, List.of(
          IdentityBlocks.gqKeyBlock(gq, fl, pw,
              Pbes2Parameters.random(Groups.random(8), Pbes2Parameters.Cipher.values()[0])))));
      GqKey gb = IdentityFiles.readGqKey(gk, pw);
      assertEquals(gq.u(), gb.u());
      assertEquals(gq.b(), gb.b());
      assertEquals(gq.v(), gb.v());
      KeygenFile gp = reparse(IdentityBlocks.file("gqpar", "g", gq.filestamp(), UTC, List.of(
          IdentityBlocks.gqParametersBlock(gq.parameters(), fl))));
      assertEquals(gq.b(), IdentityFiles.readGqParameters(gp, null).b());
      // a server key file also serves as parameters
      assertEquals(gq.b(), IdentityFiles.readGqParameters(gk, pw).b());

      MvGroup mv = Groups.MV;
      KeygenFile ms = reparse(IdentityBlocks.file("mvkey", "g", mv.filestamp(), UTC, List.of(
          IdentityBlocks.mvServerKeyBlock(mv.serverKey(), fl, pw,
              Pbes2Parameters.ntpKeygenDefault(Groups.random(9))))));
      KeygenFile mc = reparse(IdentityBlocks.file("mvpar", "g", mv.filestamp(), UTC, List.of(
          IdentityBlocks.mvClientKeyBlock(mv.clientKey(2), fl))));
      KeygenFile mt = reparse(IdentityBlocks.file(IdentityFiles.MV_TA_TYPE, "g", mv.filestamp(),
          UTC, IdentityBlocks.mvTrustedAuthorityBlocks(mv, fl, pw, Groups.random(10))));
      assertEquals(mv.keyCount() + 2, KeygenFiles.blocks(mt).size());
      if (fl == IdentityFileFlavour.NTPD_USABLE) {
        assertEquals(mv.serverKey().ghat(), IdentityFiles.readMvServerKey(ms, pw).ghat());
        assertEquals(mv.clientKey(2).xhat(), IdentityFiles.readMvClientKey(mc, null).xhat());
        assertEquals(mv.b(), IdentityFiles.readMvGroup(mt, pw).b());
      } else {
        assertThrows(KeygenException.class, () -> IdentityFiles.readMvServerKey(ms, pw));
        assertThrows(KeygenException.class, () -> IdentityFiles.readMvClientKey(mc, null));
        assertThrows(KeygenException.class, () -> IdentityFiles.readMvGroup(mt, pw));
        for (PemBlock b : KeygenFiles.blocks(mt)) {
          assertEquals(PemBlock.ENCRYPTED_PRIVATE_KEY, b.label());
        }
      }
    }
  }

  private static KeygenFile reparse(KeygenFile f) throws Exception {
    return KeygenFile.parse(f.toBytes());
  }

  @Test
  void wrongFilesFailWithClearMessages() throws Exception {
    KeygenFile rsa = sample("tc-gq", "ntpkey_gqpar_meadow.4004335813");
    KeygenException e = assertThrows(KeygenException.class,
        () -> IdentityFiles.readIffParameters(rsa, null));
    assertTrue(e.getMessage().contains("expected a DSA-structured key"), e.getMessage());
    KeygenFile dsa = sample("tc-iff", "ntpkey_iffpar_orchard.4004335813");
    e = assertThrows(KeygenException.class, () -> IdentityFiles.readGqParameters(dsa, null));
    assertTrue(e.getMessage().contains("expected an RSA-structured key"), e.getMessage());
    KeygenFile gqpar = sample("tc-gq", "ntpkey_gqpar_meadow.4004335813");
    e = assertThrows(KeygenException.class, () -> IdentityFiles.readGqKey(gqpar, null));
    assertTrue(e.getMessage().contains("client parameter file"), e.getMessage());
    KeygenFile enc = sample("tc-iff", "ntpkey_IFFkey_orchard.4004335813");
    e = assertThrows(KeygenException.class,
        () -> IdentityFiles.readIffKey(enc, "wrong".toCharArray()));
    assertEquals(XEvent.ID, e.event());
    assertEquals(KeygenException.Reason.WRONG_PASSWORD, e.reason());
  }
}
