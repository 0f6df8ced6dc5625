package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 Must-show 4: the mission's national-service chain. {@code time.nist.gov}: {@code
 * ntp-keygen -T}, {@code crypto}; {@code grundoon}: {@code ntp-keygen}, {@code server
 * time.nist.gov iburst autokey}, {@code crypto}; a client of grundoon configured the same way.
 * Key files are written (password = host name, ntp-keygen's default) and read back through our
 * keys-directory code. The client's trail has two certificates ending at the TH; after SIGN,
 * grundoon holds a certificate for itself signed by the TH.
 */
class NationalServiceChainTest {
  static final long T0 = ModesFixture.T0;
  static final long FS = T0 - 3600;

  @TempDir
  Path tmp;

  static BcCryptoSuite written(Path dir, EphemeralHosts.Host h, SecureRandom r) throws Exception {
    KeyFolders.host(dir, h.name(), h, h.name().toCharArray(), r);
    return BcCryptoSuite.fromKeysDirectory(dir, h.name(), null, h.name().toCharArray(),
        List.of(), CryptoPolicy.legacy(w -> { }), r);
  }

  @Test
  void clientTrailHasTwoCertificatesEndingAtTheTrustedHost() throws Exception {
    SecureRandom r = ModesFixture.rng(800);
    EphemeralHosts.Host nist = EphemeralHosts.trusted("time.nist.gov", FS, r);
    EphemeralHosts.Host grundoon = EphemeralHosts.ordinary("grundoon", FS, r);
    EphemeralHosts.Host client = EphemeralHosts.ordinary("client", FS, r);
    List<String> log = ModesFixture.newLog();
    AutokeyHost hn = ModesFixture.host(AutokeyConfig.defaults(),
        written(tmp.resolve("nist"), nist, r), 801, log);
    AutokeyHost hg = ModesFixture.host(AutokeyConfig.defaults(),
        written(tmp.resolve("grundoon"), grundoon, r), 802, log);
    AutokeyHost hc = ModesFixture.host(AutokeyConfig.defaults(),
        written(tmp.resolve("client"), client, r), 803, log);
    for (String v : new String[] {"4", "6"}) {
      InetAddress an = InetAddress.getByName(v.equals("4") ? "192.0.2.1" : "2001:db8::1");
      InetAddress ag = InetAddress.getByName(v.equals("4") ? "192.0.2.2" : "2001:db8::2");
      InetAddress ac = InetAddress.getByName(v.equals("4") ? "192.0.2.3" : "2001:db8::3");
      AutokeyHost gh = v.equals("4") ? hg : ModesFixture.host(AutokeyConfig.defaults(),
          written(tmp.resolve("grundoon6"), grundoon, r), 804, log);
      AutokeyHost ch = v.equals("4") ? hc : ModesFixture.host(AutokeyConfig.defaults(),
          written(tmp.resolve("client6"), client, r), 805, log);
      SimNetwork net = new SimNetwork(809, NtpTime.ofSeconds(T0));
      ModesNode nn = net.add(new ModesNode("time.nist.gov", hn, an).serve().reference());
      ModesNode ng = new ModesNode("grundoon", gh, ag).serve();
      Association up = ng.addClient(an, Optional.empty(), 4);
      ModesNode nc = new ModesNode("client", ch, ac);
      Association down = nc.addClient(ag, Optional.empty(), 4);
      net.add(ng);
      net.add(nc);
      boolean ok = net.runUntil(() -> up.allFlags() && down.allFlags(), 4 * 3600);
      if (!ok) {
        log.stream().skip(Math.max(0, log.size() - 60)).forEach(System.out::println);
      }
      assertTrue(ok, "both associations reach all flags (IPv" + v + ")");
      System.out.println("national chain IPv" + v + ": all flags after "
          + (NtpTime.seconds(net.now()) - T0) + " virtual s");
      assertEquals(IdentityScheme.TC, down.identityScheme().orElseThrow());
      List<CertificateInfo> trail = down.trail();
      assertEquals(2, trail.size(), "client trail " + trail);
      assertEquals("grundoon", trail.get(0).subject());
      assertEquals("time.nist.gov", trail.get(0).issuer());
      assertEquals("time.nist.gov", trail.get(1).subject());
      assertEquals("time.nist.gov", trail.get(1).issuer());
      assertTrue(trail.get(1).trusted());
      // after SIGN grundoon holds its certificate signed by the TH, verifiable with the TH key
      Optional<CertificateInfo> signed = gh.certificates().select("grundoon");
      assertTrue(signed.isPresent());
      assertEquals("time.nist.gov", signed.get().issuer());
      BcCryptoSuite probe = EphemeralHosts.trusted("probe", FS, r).tcSuite(r);
      probe.certificateCodec().verify(signed.get(), trail.get(1).publicKey());
      assertTrue(Long.compareUnsigned(ng.synchronisedAt(), nc.synchronisedAt()) < 0);
      assertTrue(nn.synchronisedAt() != -1);
    }
  }
}
