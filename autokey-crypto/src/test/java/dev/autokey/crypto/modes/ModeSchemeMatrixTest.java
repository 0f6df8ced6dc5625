package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.LinkProfile;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 Must-show 1 for the modes beyond client/server, with client/server alongside: every mode
 * (client/server, symmetric, broadcast) × every identity scheme (TC, PC, IFF, GQ, MV) × session
 * digest (MD5, SHA1) × address family reaches all seven flags in the simulator, then keeps
 * exchanging authenticated packets for two key-list lifetimes (2 × 1600 s at poll 16 s); again
 * with 10 % loss, duplication and reordering. Prints the table of virtual seconds to all flags.
 */
class ModeSchemeMatrixTest {
  static final long T0 = ModesFixture.T0;
  static final long FS = T0 - 100;
  static final String GROUP = "g";
  static final long TWO_LISTS = 2 * 1600 + 100;

  enum Scheme { TC, PC, IFF, GQ, MV }

  enum ModeKind { CLIENT_SERVER, SYMMETRIC, BROADCAST }

  static IffKey iff;
  static GqKey gq;
  static MvGroup mv;
  static EphemeralHosts.Host pcHost;

  @BeforeAll
  static void material() {
    SecureRandom r = ModesFixture.rng(1000);
    iff = IffKey.generate(512, r, FS);
    gq = GqKey.generate(512, r, FS);
    mv = MvGroup.generate(4, 256, r, FS);
    pcHost = EphemeralHosts.generate("pcgroup", NtpCertificates.Kind.PRIVATE, 512, FS, 365, null,
        r);
  }

  static EphemeralHosts.Host host(Scheme s, String name, boolean trusted, SecureRandom r) {
    if (s == Scheme.PC) {
      return pcHost;
    }
    String n = s == Scheme.TC ? name : name + "@" + GROUP;
    NtpCertificates.Kind k = trusted ? NtpCertificates.Kind.TRUST_ROOT
        : NtpCertificates.Kind.ORDINARY;
    return EphemeralHosts.generate(n, k, 512, FS, 365, s == Scheme.GQ && trusted ? gq : null, r);
  }

  static BcCryptoSuite suite(Scheme s, EphemeralHosts.Host h, boolean server, boolean client,
      SecureRandom r) throws Exception {
    BcCryptoSuite.Builder b = h.suite(r);
    switch (s) {
      case IFF -> {
        if (server) {
          b.iffKey(iff);
        }
        if (client) {
          b.iffParameters(GROUP, iff.parameters());
        }
      }
      case GQ -> {
        if (server) {
          b.gqKey(gq);
        }
        if (client) {
          b.gqParameters(GROUP, gq.parameters());
        }
      }
      case MV -> {
        if (server) {
          b.mvServerKey(mv.serverKey());
        }
        if (client) {
          b.mvClientKey(GROUP, mv.clientKey(1));
        }
      }
      default -> { }
    }
    return b.build();
  }

  static AutokeyConfig config(Scheme s, String digest) {
    AutokeyConfig.Builder b = AutokeyConfig.builder().digest(digest);
    if (s == Scheme.IFF || s == Scheme.GQ || s == Scheme.MV) {
      b.ident(GROUP);
    }
    return b.build();
  }

  /** One simulated run. */
  record Outcome(boolean allFlags, long secondsToAllFlags, long samples, long rejected,
      String detail) {}

  static Outcome run(ModeKind m, Scheme s, String digest, boolean v6, LinkProfile link,
      long seed) throws Exception {
    SecureRandom r = ModesFixture.rng(seed);
    List<String> log = new ArrayList<>();
    InetAddress a1 = InetAddress.getByName(v6 ? "fd77::1" : "10.77.0.1");
    InetAddress a2 = InetAddress.getByName(v6 ? "fd77::2" : "10.77.0.2");
    InetAddress bc = InetAddress.getByName(v6 ? "ff02::101" : "10.77.0.255");
    AutokeyConfig cfg = config(s, digest);
    SimNetwork net = new SimNetwork(seed, NtpTime.ofSeconds(T0)).defaultLink(link);
    BooleanSupplier done;
    java.util.function.Supplier<ModesNode.Stats> watched;
    java.util.function.LongSupplier rejected;
    ModesNode n1;
    ModesNode n2;
    switch (m) {
      case CLIENT_SERVER -> {
        EphemeralHosts.Host hs = host(s, "srv", true, r);
        EphemeralHosts.Host hc = host(s, "cli", false, r);
        AutokeyHost sh = ModesFixture.host(cfg, suite(s, hs, true, false, r), seed + 1, log);
        AutokeyHost ch = ModesFixture.host(cfg, suite(s, hc, false, true, r), seed + 2, log);
        n1 = new ModesNode("srv", sh, a1).serve().reference();
        n2 = new ModesNode("cli", ch, a2);
        Association a = n2.addClient(a1, Optional.empty(), 4);
        net.add(n1);
        net.add(n2);
        done = a::allFlags;
        ModesNode cn = n2;
        watched = () -> cn.stats(a);
        rejected = () -> cn.stats(a).count(Verdict.Kind.REJECTED);
      }
      case SYMMETRIC -> {
        EphemeralHosts.Host ha = host(s, "alpha", true, r);
        EphemeralHosts.Host hb = s == Scheme.PC ? pcHost : host(s, "beta", true, r);
        AutokeyHost ah = ModesFixture.host(cfg, suite(s, ha, true, true, r), seed + 1, log);
        AutokeyHost bh = ModesFixture.host(cfg, suite(s, hb, true, true, r), seed + 2, log);
        n1 = new ModesNode("alpha", ah, a1).reference();
        n2 = new ModesNode("beta", bh, a2).reference();
        SymmetricPeer pa = n1.addPeer(a2, Optional.empty(), 4);
        SymmetricPeer pb = n2.addPeer(a1, Optional.empty(), 4);
        net.add(n1);
        net.add(n2);
        done = () -> pa.association().allFlags() && pb.association().allFlags();
        ModesNode na = n1;
        ModesNode nb = n2;
        watched = () -> na.stats(pa);
        rejected = () -> na.stats(pa).count(Verdict.Kind.REJECTED)
            + nb.stats(pb).count(Verdict.Kind.REJECTED);
      }
      default -> {
        EphemeralHosts.Host hs = host(s, "srv", true, r);
        EphemeralHosts.Host hc = host(s, "cli", false, r);
        AutokeyHost sh = ModesFixture.host(cfg, suite(s, hs, true, false, r), seed + 1, log);
        AutokeyHost ch = ModesFixture.host(cfg, suite(s, hc, false, true, r), seed + 2, log);
        n1 = new ModesNode("srv", sh, a1).serve().reference();
        n1.addBroadcastServer(bc, 4);
        n2 = new ModesNode("cli", ch, a2).broadcastClient(bc, 4, Optional.empty());
        net.add(n1);
        net.add(n2);
        ModesNode cn = n2;
        done = () -> cn.bclients.values().stream()
            .anyMatch(x -> x.association().allFlags() && x.isReceivingBroadcasts());
        watched = () -> cn.bclientStats.values().iterator().next();
        rejected = () -> cn.bclientStats.values().stream()
            .mapToLong(x -> x.count(Verdict.Kind.REJECTED)).sum();
      }
    }
    boolean ok = net.runUntil(done, 4 * 3600);
    long secs = NtpTime.seconds(net.now()) - T0;
    if (!ok) {
      return new Outcome(false, -1, 0, rejected.getAsLong(), String.join("\n", log.subList(
          Math.max(0, log.size() - 40), log.size())) + "\n" + n2.mobilisationErrors);
    }
    long before = watched.get().samples;
    net.runFor(TWO_LISTS);
    return new Outcome(true, secs, watched.get().samples - before, rejected.getAsLong(),
        watched.get().toString());
  }

  @Test
  void everyModeSchemeDigestFamilyReachesAllFlagsAndKeepsAuthenticating() throws Exception {
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%-14s %-4s %-5s %-4s %12s %12s %8s %8s%n", "mode",
        "id", "dgst", "af", "perfect s", "10% s", "samples", "lossy"));
    List<String> failures = new ArrayList<>();
    long seed = 2000;
    for (ModeKind m : ModeKind.values()) {
      for (Scheme s : Scheme.values()) {
        for (String d : new String[] {"MD5", "SHA1"}) {
          for (boolean v6 : new boolean[] {false, true}) {
            String name = m + "/" + s + "/" + d + "/" + (v6 ? "v6" : "v4");
            Outcome p = run(m, s, d, v6, LinkProfile.perfect(), seed++);
            Outcome l = run(m, s, d, v6, LinkProfile.lossy(0.10), seed++);
            table.append(String.format(Locale.ROOT, "%-14s %-4s %-5s %-4s %12d %12d %8d %8d%n",
                m, s, d, v6 ? "v6" : "v4", p.secondsToAllFlags(), l.secondsToAllFlags(),
                p.samples(), l.samples()));
            if (!p.allFlags() || !l.allFlags()) {
              failures.add(name + " all flags: perfect " + p.allFlags() + " lossy " + l.allFlags()
                  + "\n" + (p.allFlags() ? l.detail() : p.detail()));
              continue;
            }
            // two key-list lifetimes at poll 16 s are 206 polls
            if (p.samples() < 190 || l.samples() < 120) {
              failures.add(name + " samples perfect " + p.samples() + " lossy " + l.samples()
                  + " " + p.detail() + " / " + l.detail());
            }
            if (p.rejected() != 0) {
              failures.add(name + " rejections on a perfect link: " + p.rejected() + " "
                  + p.detail());
            }
          }
        }
      }
    }
    System.out.print(table);
    java.nio.file.Path out = java.nio.file.Path.of("target", "mode-scheme-matrix.txt");
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.writeString(out, table);
    assertEquals(List.of(), failures, String.join("\n\n", failures));
    assertTrue(table.length() > 0);
  }
}
