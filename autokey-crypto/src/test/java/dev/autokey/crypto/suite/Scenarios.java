package dev.autokey.crypto.suite;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Shared fixtures for the engine tests: generated hosts and groups for every scheme. */
final class Scenarios {
  static final long T0 = 3_900_000_000L;
  static final long FS = T0 - 1000;

  private Scenarios() {}

  static SecureRandom rng(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final IffKey IFF = IffKey.generate(512, rng(11), FS);
  static final GqKey GQ = GqKey.generate(512, rng(12), FS);
  static final MvGroup MV = MvGroup.generate(4, 256, rng(13), FS);

  /** Event collector. */
  static final class Events implements ProtocolEventListener {
    final List<ProtocolEvent> all = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(ProtocolEvent e) {
      if (all.size() < 100_000) {
        all.add(e);
      }
    }

    long count(ProtocolEvent.Type t) {
      synchronized (all) {
        return all.stream().filter(e -> e.type() == t).count();
      }
    }
  }

  /** A server and a client host for one identity scheme. */
  record Pair(AutokeyHost server, AutokeyHost client, String ident) {}

  static Pair pair(String scheme, AutokeyConfig cfg, long seed, ProtocolEventListener l)
      throws Exception {
    SecureRandom r = rng(seed);
    switch (scheme) {
      case "TC": {
        EphemeralHosts.Host s = EphemeralHosts.trusted("server", FS, r);
        EphemeralHosts.Host c = EphemeralHosts.ordinary("client", FS, r);
        return new Pair(AutokeyHost.create(cfg, s.tcSuite(rng(seed + 1)), rng(seed + 2), l),
            AutokeyHost.create(cfg, c.tcSuite(rng(seed + 3)), rng(seed + 4), l), null);
      }
      case "IFF": {
        EphemeralHosts.Host s = EphemeralHosts.trusted("server@grp", FS, r);
        EphemeralHosts.Host c = EphemeralHosts.ordinary("client@grp", FS, r);
        var ss = s.suite(rng(seed + 1)).iffKey(IFF).build();
        var cs = c.suite(rng(seed + 3)).iffParameters("grp", IFF.parameters()).build();
        return new Pair(AutokeyHost.create(cfg, ss, rng(seed + 2), l),
            AutokeyHost.create(cfg, cs, rng(seed + 4), l), "grp");
      }
      case "GQ": {
        EphemeralHosts.Host s = EphemeralHosts.generate("server@grp",
            NtpCertificates.Kind.TRUST_ROOT, 512, FS, 365, GQ, r);
        EphemeralHosts.Host c = EphemeralHosts.ordinary("client@grp", FS, r);
        var ss = s.suite(rng(seed + 1)).gqKey(GQ).build();
        var cs = c.suite(rng(seed + 3)).gqParameters("grp", GQ.parameters()).build();
        return new Pair(AutokeyHost.create(cfg, ss, rng(seed + 2), l),
            AutokeyHost.create(cfg, cs, rng(seed + 4), l), "grp");
      }
      case "MV": {
        EphemeralHosts.Host s = EphemeralHosts.trusted("server@grp", FS, r);
        EphemeralHosts.Host c = EphemeralHosts.ordinary("client@grp", FS, r);
        var ss = s.suite(rng(seed + 1)).mvServerKey(MV.serverKey()).build();
        var cs = c.suite(rng(seed + 3)).mvClientKey("grp", MV.clientKeys().get(0)).build();
        return new Pair(AutokeyHost.create(cfg, ss, rng(seed + 2), l),
            AutokeyHost.create(cfg, cs, rng(seed + 4), l), "grp");
      }
      case "PC": {
        EphemeralHosts.Host shared = EphemeralHosts.generate("pc@grp",
            NtpCertificates.Kind.PRIVATE, 512, FS, 365, null, r);
        return new Pair(AutokeyHost.create(cfg, shared.tcSuite(rng(seed + 1)), rng(seed + 2), l),
            AutokeyHost.create(cfg, shared.tcSuite(rng(seed + 3)), rng(seed + 4), l), null);
      }
      default:
        throw new IllegalArgumentException(scheme);
    }
  }
}
