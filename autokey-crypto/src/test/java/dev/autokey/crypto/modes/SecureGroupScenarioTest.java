package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IdentityFiles;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.keygen.HostCredentials;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeysDirectory;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 Must-show 3: the mission's secure-group scenario, run as its commands configure it.
 *
 * <pre>
 * macabre (BLUE TH, GQ)  ntp-keygen -p qqsv -T -G -i blue; -e &gt;ntpkey_gqpar_blue
 *                        crypto pw qqsv ident blue; peer mort autokey; broadcast … autokey
 * mort (RED TH, IFF)     ntp-keygen -p xxx -T -I -i red; -e &gt;ntpkey_iffpar_red
 *                        crypto pw xxx ident red; peer macabre autokey; broadcast … autokey
 * howland (GREEN TH, GQ) ntp-keygen -p yyy -T -G -i green; -e &gt;ntpkey_gqpar_green;
 *                        -q zzz &gt;zzz_ntpkey_gqkey_green; crypto pw yyy ident green;
 *                        broadcastclient
 * YELLOW                 ntp-keygen -p abc; crypto pw abc ident green; server howland autokey;
 *                        serves GREEN with the zzz copy of the GREEN server key
 * client of YELLOW       ntp-keygen; server yellow autokey (GREEN parameters)
 * </pre>
 *
 * Every key file is written with the given password and read back by our keys-directory code.
 * Choices where ntpd's rules do not fit the scenario: (1) howland runs without ntpd's group-name
 * rule ({@link AutokeyConfig.GroupRule#NONE}): under the rule a GREEN host drops the broadcasts
 * of RED and BLUE (a new broadcast client passes only the own group or the global {@code ident},
 * and howland has only {@code crypto ident green}) and drops YELLOW's requests (its name has no
 * '@'); (2) each broadcast-client association uses the server's group as its ident ("each client
 * must have client files for all groups"), so howland verifies mort by IFF and macabre by GQ;
 * (3) the symmetric peers name each other's group as the association ident ({@code peer … ident
 * red|blue}), which also satisfies ntpd's group rule for existing associations; (4) YELLOW's
 * {@code pw abc} cannot open the zzz copy (ntpd has one password per host), so YELLOW reads that
 * one file with zzz.
 */
class SecureGroupScenarioTest {
  static final long T0 = ModesFixture.T0;
  static final long FS = T0 - 3600;

  @TempDir
  Path tmp;

  static char[] pw(String s) {
    return s.toCharArray();
  }

  static BcCryptoSuite load(Path dir, String host, String ident, String pw, List<String> groups,
      SecureRandom r) throws Exception {
    return BcCryptoSuite.fromKeysDirectory(dir, host, ident, pw(pw), groups,
        CryptoPolicy.legacy(w -> { }), r);
  }

  @Test
  void secureGroupScenario() throws Exception {
    SecureRandom r = ModesFixture.rng(700);
    // ---- key generation as the mission's commands, written and read back
    GqKey gqBlue = GqKey.generate(512, r, FS);
    IffKey iffRed = IffKey.generate(512, r, FS);
    GqKey gqGreen = GqKey.generate(512, r, FS);
    EphemeralHosts.Host macabre = EphemeralHosts.generate("macabre@blue",
        NtpCertificates.Kind.TRUST_ROOT, 512, FS, 365, gqBlue, r);
    EphemeralHosts.Host mort = EphemeralHosts.generate("mort@red",
        NtpCertificates.Kind.TRUST_ROOT, 512, FS, 365, null, r);
    EphemeralHosts.Host howland = EphemeralHosts.generate("howland@green",
        NtpCertificates.Kind.TRUST_ROOT, 512, FS, 365, gqGreen, r);
    EphemeralHosts.Host yellow = EphemeralHosts.ordinary("yellow", FS, r);
    EphemeralHosts.Host yclient = EphemeralHosts.ordinary("yclient", FS, r);

    Path dMacabre = tmp.resolve("macabre");
    KeyFolders.host(dMacabre, "macabre", macabre, pw("qqsv"), r);
    KeyFolders.gqKey(dMacabre, "blue", gqBlue, pw("qqsv"), r);
    KeyFolders.gqPar(dMacabre, "blue", gqBlue);
    Path dMort = tmp.resolve("mort");
    KeyFolders.host(dMort, "mort", mort, pw("xxx"), r);
    KeyFolders.iffKey(dMort, "red", iffRed, pw("xxx"), r);
    KeyFolders.iffPar(dMort, "red", iffRed);
    Path dHowland = tmp.resolve("howland");
    KeyFolders.host(dHowland, "howland", howland, pw("yyy"), r);
    KeyFolders.gqKey(dHowland, "green", gqGreen, pw("yyy"), r);
    KeyFolders.gqPar(dHowland, "green", gqGreen);
    Path transfer = tmp.resolve("transfer");
    Files.createDirectories(transfer);
    Path zzz = KeyFolders.gqKey(transfer, "green", gqGreen, pw("zzz"), r); // -q zzz
    // client files of the other groups (public archive)
    KeyFolders.iffPar(dMacabre, "red", iffRed);
    KeyFolders.gqPar(dMort, "blue", gqBlue);
    KeyFolders.iffPar(dHowland, "red", iffRed);
    KeyFolders.gqPar(dHowland, "blue", gqBlue);
    Path dYellow = tmp.resolve("yellow");
    KeyFolders.host(dYellow, "yellow", yellow, pw("abc"), r);
    KeyFolders.gqPar(dYellow, "green", gqGreen);
    Files.copy(zzz, dYellow.resolve("ntpkey_gqkey_green")); // installed without the filestamp
    Path dClient = tmp.resolve("yclient");
    KeyFolders.host(dClient, "yclient", yclient, pw("yclient"), r); // ntp-keygen default pw
    KeyFolders.gqPar(dClient, "green", gqGreen);

    BcCryptoSuite sMacabre = load(dMacabre, "macabre", "blue", "qqsv", List.of("red"), r);
    BcCryptoSuite sMort = load(dMort, "mort", "red", "xxx", List.of("blue"), r);
    BcCryptoSuite sHowland = load(dHowland, "howland", "green", "yyy",
        List.of("red", "blue", "green"), r);
    HostCredentials yc = KeysDirectory.of(dYellow, CryptoPolicy.legacy(w -> { }))
        .loadHost("yellow", pw("abc"));
    GqKey zzzCopy = IdentityFiles.readGqKey(KeygenFile.read(dYellow.resolve(
        "ntpkey_gqkey_green")), pw("zzz"));
    BcCryptoSuite sYellow = BcCryptoSuite.builder().random(r)
        .hostKey(yc.hostKey(), yc.hostKeyFilestamp())
        .certificate(yc.certificate().der(), yc.certificate().filestamp())
        .gqKey(zzzCopy)
        .gqParameters("green", IdentityFiles.readGqParameters(KeygenFile.read(
            dYellow.resolve("ntpkey_gqpar_green")), null))
        .build();
    BcCryptoSuite sClient = load(dClient, "yclient", null, "yclient", List.of("green"), r);
    assertTrue(sMacabre.identityServer(IdentityScheme.GQ).isPresent());
    assertTrue(sMort.identityServer(IdentityScheme.IFF).isPresent());
    assertTrue(sYellow.identityServer(IdentityScheme.GQ).isPresent(), "YELLOW serves GQ");

    // ---- hosts and network
    List<String> log = ModesFixture.newLog();
    AutokeyConfig plain = AutokeyConfig.defaults();
    AutokeyHost hMacabre = ModesFixture.host(plain, sMacabre, 701, log);
    AutokeyHost hMort = ModesFixture.host(plain, sMort, 702, log);
    AutokeyHost hHowland = ModesFixture.host(AutokeyConfig.builder()
        .groupRule(AutokeyConfig.GroupRule.NONE).build(), sHowland, 703, log);
    AutokeyHost hYellow = ModesFixture.host(plain, sYellow, 704, log);
    AutokeyHost hClient = ModesFixture.host(plain, sClient, 705, log);
    InetAddress aMort = InetAddress.getByName("10.1.0.1");
    InetAddress aMacabre = InetAddress.getByName("10.1.0.2");
    InetAddress aHowland = InetAddress.getByName("10.1.0.3");
    InetAddress lan = InetAddress.getByName("10.1.0.255");
    InetAddress aYellow = InetAddress.getByName("10.2.0.1");
    InetAddress aClient = InetAddress.getByName("10.2.0.2");
    SimNetwork net = new SimNetwork(707, NtpTime.ofSeconds(T0));
    ModesNode nMacabre = new ModesNode("macabre", hMacabre, aMacabre).reference();
    SymmetricPeer pMacabre = nMacabre.addPeer(aMort, Optional.of("red"), 4);
    nMacabre.addBroadcastServer(lan, 4);
    ModesNode nMort = new ModesNode("mort", hMort, aMort).reference();
    SymmetricPeer pMort = nMort.addPeer(aMacabre, Optional.of("blue"), 4);
    nMort.addBroadcastServer(lan, 4);
    nMort.serve();
    nMacabre.serve();
    ModesNode nHowland = new ModesNode("howland", hHowland, aHowland).serve()
        .broadcastClient(lan, 4, Optional.empty());
    ModesNode nYellow = new ModesNode("yellow", hYellow, aYellow).serve();
    Association aYellowUp = nYellow.addClient(aHowland, Optional.of("green"), 4);
    ModesNode nClient = new ModesNode("yclient", hClient, aClient);
    Association aClientUp = nClient.addClient(aYellow, Optional.of("green"), 4);
    for (ModesNode n : List.of(nMacabre, nMort, nHowland, nYellow, nClient)) {
      net.add(n);
    }
    boolean ok = net.runUntil(() -> pMacabre.association().allFlags()
        && pMort.association().allFlags()
        && nHowland.bclients.size() == 2
        && nHowland.bclients.values().stream().allMatch(b -> b.association().allFlags()
            && b.isReceivingBroadcasts())
        && aYellowUp.allFlags() && aClientUp.allFlags(), 6 * 3600);
    if (!ok) {
      log.stream().skip(Math.max(0, log.size() - 80)).forEach(System.out::println);
      System.out.println(pMacabre + "\n" + pMort + "\n" + nHowland.bclients + "\n" + aYellowUp
          + "\n" + aClientUp + "\n" + nHowland.mobilisationErrors);
      for (ModesNode n : List.of(nMacabre, nMort, nHowland, nYellow, nClient)) {
        System.out.println(n + " " + n.clients.values() + n.peers.values()
            + n.bclientStats.values());
      }
    }
    assertTrue(ok, "every association reaches all flags");
    long secs = NtpTime.seconds(net.now()) - T0;
    System.out.println("secure group: all flags after " + secs + " virtual s; synchronised at "
        + "howland " + (NtpTime.seconds(nHowland.synchronisedAt()) - T0) + " s, yellow "
        + (NtpTime.seconds(nYellow.synchronisedAt()) - T0) + " s, client "
        + (NtpTime.seconds(nClient.synchronisedAt()) - T0) + " s");

    // identity schemes as configured by the commands
    assertEquals(IdentityScheme.IFF, pMacabre.association().identityScheme().orElseThrow());
    assertEquals(IdentityScheme.GQ, pMort.association().identityScheme().orElseThrow());
    BroadcastClient fromMort = nHowland.bclients.get(aMort);
    BroadcastClient fromMacabre = nHowland.bclients.get(aMacabre);
    assertEquals(IdentityScheme.IFF, fromMort.association().identityScheme().orElseThrow());
    assertEquals(IdentityScheme.GQ, fromMacabre.association().identityScheme().orElseThrow());
    assertEquals(IdentityScheme.GQ, aYellowUp.identityScheme().orElseThrow());
    assertEquals(IdentityScheme.GQ, aClientUp.identityScheme().orElseThrow());

    // certificate trails end at the group's trusted host
    assertTrailEndsAt(pMacabre.association(), "mort@red");
    assertTrailEndsAt(pMort.association(), "macabre@blue");
    assertTrailEndsAt(fromMort.association(), "mort@red");
    assertTrailEndsAt(fromMacabre.association(), "macabre@blue");
    assertTrailEndsAt(aYellowUp, "howland@green");
    List<CertificateInfo> clientTrail = aClientUp.trail();
    assertTrailEndsAt(aClientUp, "howland@green");
    assertEquals(2, clientTrail.size(), "client: yellow signed by howland, howland: "
        + clientTrail);
    assertEquals("yellow", clientTrail.get(0).subject());
    assertEquals("howland@green", clientTrail.get(0).issuer());

    // time flows TH -> howland -> YELLOW -> client, each only after PROV
    long tH = nHowland.synchronisedAt();
    long tY = nYellow.synchronisedAt();
    long tC = nClient.synchronisedAt();
    assertTrue(tH != -1 && tY != -1 && tC != -1, "all synchronised");
    assertTrue(Long.compareUnsigned(tH, tY) < 0 && Long.compareUnsigned(tY, tC) < 0,
        "howland before yellow before client");
    assertEquals(2, nHowland.stratum());
    assertEquals(3, nYellow.stratum());
    assertEquals(4, nClient.stratum());
  }

  static void assertTrailEndsAt(Association a, String th) {
    List<CertificateInfo> t = a.trail();
    assertTrue(!t.isEmpty(), "trail of " + a);
    CertificateInfo last = t.get(t.size() - 1);
    assertEquals(th, last.subject(), "trail " + t);
    assertEquals(th, last.issuer(), "self-signed " + t);
    assertTrue(last.trusted(), "trusted " + last);
  }
}
