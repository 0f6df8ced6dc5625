package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.suite.EphemeralHosts.Host;
import dev.autokey.testing.Gen;
import dev.autokey.testing.PropertyCheck;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adversarial engine suite, client/server mode: an honest exchange (client {@link
 * Association} against a {@link dev.autokey.core.protocol.ServerResponder}, deterministic time,
 * no sockets) interleaved with a keyless on-path attacker ({@link OnPathAttacker}) that answers
 * first, drops, replays any datagram or field it has seen with any association ID, harvests the
 * server's signed fields with requests of its own, flips bytes under a fresh cookie-0 MAC, sends
 * crypto-NAKs with the right origin and forges plain replies. Every scheme: TC (with the pinned
 * anchor of policy STRICT: TC without an anchor trusts any self-signed trustRoot, as ntpd does,
 * so an attacker who answers the first CERT request owns the trail), IFF, GQ, MV and PC.
 *
 * <p>Invariants checked after every delivered datagram:
 *
 * <ol>
 *   <li>nothing forged is usable for time: a usable verdict only for a genuine server reply to
 *       the client's current request, delivered for the first time;
 *   <li>the own certificate of both hosts never changes, no cache entry carries a host's own
 *       name with another key, and every certificate in either cache is one an honest host made;
 *   <li>a packet refused or ignored without a restart changes nothing (flags, trail, TAI offset,
 *       scheme, certificate cache); a restart leaves flags 0, except a crypto-NAK's documented
 *       cookie refetch, which clears COOK only;
 *   <li>every request the client builds decodes with our own decoder;
 *   <li>once the attacker stops, the association recovers: within {@value #RECOVERY_POLLS}
 *       honest polls it is proventic with a cookie and takes a time sample.
 * </ol>
 */
class AdversaryClientServerTest {
  static final InetAddress SA = AttackTest.SA;
  static final InetAddress CA = AttackTest.CA;
  static final InetAddress ATT = AttackTest.addr("10.77.0.66");
  static final int RECOVERY_POLLS = 30;

  enum Scheme { TC_STRICT, IFF, GQ, MV, PC }

  /** Long-lived key material per scheme (generated once; hosts are made fresh per case). */
  record Keys(Scheme scheme, Host server, Host client, Optional<String> ident) {}

  static final List<Keys> KEYS = new ArrayList<>();
  static final List<byte[]> ATTACKER_CERTS = new ArrayList<>();

  static {
    SecureRandom r = Scenarios.rng(9001);
    long fs = Scenarios.FS;
    KEYS.add(new Keys(Scheme.TC_STRICT, EphemeralHosts.trusted("server", fs, r),
        EphemeralHosts.ordinary("client", fs, r), Optional.empty()));
    KEYS.add(new Keys(Scheme.IFF, EphemeralHosts.trusted("server@grp", fs, r),
        EphemeralHosts.ordinary("client@grp", fs, r), Optional.of("grp")));
    KEYS.add(new Keys(Scheme.GQ, EphemeralHosts.generate("server@grp",
        NtpCertificates.Kind.TRUST_ROOT, 512, fs, 365, Scenarios.GQ, r),
        EphemeralHosts.ordinary("client@grp", fs, r), Optional.of("grp")));
    KEYS.add(new Keys(Scheme.MV, EphemeralHosts.trusted("server@grp", fs, r),
        EphemeralHosts.ordinary("client@grp", fs, r), Optional.of("grp")));
    Host pc = EphemeralHosts.generate("pc@grp", NtpCertificates.Kind.PRIVATE, 512, fs, 365, null,
        r);
    KEYS.add(new Keys(Scheme.PC, pc, pc, Optional.empty()));
    for (String name : new String[] {"server", "server@grp", "client", "client@grp", "pc@grp",
        "evil"}) {
      ATTACKER_CERTS.add(EphemeralHosts.trusted(name, fs + 50, r).certificate());
    }
    ATTACKER_CERTS.add(EphemeralHosts.ordinary("server@grp", fs + 60, r).certificate());
  }

  @Test
  void clientServer_onPathAttackerNeverWins() {
    PropertyCheck.forAll("client/server: keyless on-path attacker never wins", g -> {
      Keys k = KEYS.get(g.intBetween(0, KEYS.size() - 1));
      new World(k, g).run();
    });
  }

  /** One case: hosts, association, attacker, and the invariant checks. */
  static final class World {
    final Keys keys;
    final Gen g;
    final AutokeyHost server;
    final AutokeyHost client;
    final Association a;
    final OnPathAttacker attacker;
    final Set<String> honestCerts = new HashSet<>();
    final byte[] serverOwn;
    final byte[] clientOwn;
    final List<byte[]> freshGenuine = new ArrayList<>();
    long now = NtpTime.ofSeconds(Scenarios.T0);
    long xmt;
    int step;
    String lastAction = "";

    World(Keys keys, Gen g) throws Exception {
      this.keys = keys;
      this.g = g;
      long seed = g.anyLong();
      AutokeyConfig serverCfg = AutokeyConfig.defaults();
      AutokeyConfig clientCfg = keys.scheme() == Scheme.TC_STRICT
          ? AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
              .addTrustAnchor(keys.server().certificate()).build()
          : AutokeyConfig.defaults();
      this.server = AutokeyHost.create(serverCfg, serverSuite(keys, seed),
          Scenarios.rng(seed + 1), ProtocolEventListener.NONE);
      this.client = AutokeyHost.create(clientCfg, clientSuite(keys, seed),
          Scenarios.rng(seed + 2), ProtocolEventListener.NONE);
      server.setSynchronised(true, now);
      this.a = client.client(CA, SA, keys.ident());
      this.attacker = new OnPathAttacker(g, ATTACKER_CERTS);
      this.serverOwn = keys.server().certificate();
      this.clientOwn = keys.client().certificate();
      honestCerts.add(hex(serverOwn));
      honestCerts.add(hex(clientOwn));
    }

    static dev.autokey.core.protocol.CryptoSuite serverSuite(Keys k, long seed)
        throws Exception {
      var b = k.server().suite(Scenarios.rng(seed + 3));
      switch (k.scheme()) {
        case IFF:
          return b.iffKey(Scenarios.IFF).build();
        case GQ:
          return b.gqKey(Scenarios.GQ).build();
        case MV:
          return b.mvServerKey(Scenarios.MV.serverKey()).build();
        default:
          return b.build();
      }
    }

    static dev.autokey.core.protocol.CryptoSuite clientSuite(Keys k, long seed)
        throws Exception {
      var b = k.client().suite(Scenarios.rng(seed + 4));
      switch (k.scheme()) {
        case IFF:
          return b.iffParameters("grp", Scenarios.IFF.parameters()).build();
        case GQ:
          return b.gqParameters("grp", Scenarios.GQ.parameters()).build();
        case MV:
          return b.mvClientKey("grp", Scenarios.MV.clientKeys().get(0)).build();
        default:
          return b.build();
      }
    }

    void run() throws Exception {
      harvest();
      int steps = g.intBetween(4, 28);
      for (step = 0; step < steps; step++) {
        if (g.chance(0.1)) {
          harvest();
        }
        attackedPoll();
      }
      // the attacker stops: the association must recover within RECOVERY_POLLS honest polls
      boolean sample = false;
      for (int i = 0; i < RECOVERY_POLLS && !sample; i++) {
        byte[] req = request();
        byte[] rep = genuine(req);
        if (rep != null) {
          lastAction = "recovery poll " + i;
          sample = deliver(rep).usableForTime();
        }
      }
      assertTrue(sample && a.isProventic() && a.has(Flag.COOK), where("no recovery within "
          + RECOVERY_POLLS + " honest polls: flags 0x" + Long.toHexString(a.flags())));
    }

    /** One poll with the attacker on the path. */
    void attackedPoll() throws Exception {
      byte[] req = request();
      attacker.see(req);
      Opcode asked = firstOpcode(req);
      byte[] rep = genuine(req);
      if (rep != null) {
        attacker.see(rep);
      }
      long keyId = OnPathAttacker.keyId(req);
      int action = g.intBetween(0, 9);
      switch (action) {
        case 0, 1, 2 -> {
          lastAction = "pass";
          deliverIf(rep);
        }
        case 3 -> lastAction = "drop";
        case 4, 5 -> {
          lastAction = "forged answer first (" + (action == 4 ? "then genuine" : "only") + ")";
          int n = g.intBetween(1, 3);
          for (int i = 0; i < n; i++) {
            List<ExtensionField> fs = new ArrayList<>();
            int fields = g.intBetween(1, 2);
            for (int j = 0; j < fields; j++) {
              fs.add(attacker.forgedField(a.associationId(), asked));
            }
            deliver(OnPathAttacker.seal(SA, CA, attacker.header(4, xmt, now), fs, keyId));
          }
          if (action == 4) {
            deliverIf(rep);
          }
        }
        case 6 -> {
          lastAction = "crypto-NAK with the right origin";
          deliver(OnPathAttacker.cryptoNak(4, xmt));
          if (g.bool()) {
            deliverIf(rep);
          }
        }
        case 7 -> {
          lastAction = "forged plain reply (cookie 0)";
          deliver(OnPathAttacker.seal(SA, CA, attacker.header(4, xmt, now), List.of(), keyId));
          if (g.bool()) {
            deliverIf(rep);
          }
        }
        case 8 -> {
          lastAction = "replayed datagram as it was";
          byte[] old = attacker.replay();
          if (old != null) {
            deliver(old);
          }
          deliverIf(rep);
        }
        default -> {
          lastAction = "genuine reply twice, or an old one resealed to this request";
          if (rep != null && g.bool()) {
            deliver(rep);
            deliver(rep);
          } else {
            byte[] old = attacker.replay();
            if (old != null) {
              try {
                AutokeyPacket p = PacketCodec.ntpd().decode(old);
                deliver(OnPathAttacker.seal(SA, CA,
                    p.header().toBuilder().mode(4).originTimestamp(xmt).build(), p.fields(),
                    keyId));
              } catch (dev.autokey.core.wire.MalformedPacketException ex) {
                deliver(old);
              }
            }
          }
        }
      }
    }

    /** The attacker's own requests to the server; the signed answers go to its collection. */
    void harvest() throws Exception {
      List<ExtensionField> asks = new ArrayList<>();
      asks.add(AutokeyMessages.leapRequest(g.intBetween(1, 0xFFFF)));
      asks.add(AutokeyMessages.certRequest(g.intBetween(1, 0xFFFF), 0, 0, keys.server().name()));
      asks.add(AutokeyMessages.cookRequest(g.intBetween(1, 0xFFFF), 0, 0,
          client.cryptoSuite().cookieCipher().publicKeyPkcs1(), new byte[0]));
      asks.add(AutokeyMessages.signRequest(g.intBetween(1, 0xFFFF), 0, 0,
          ATTACKER_CERTS.get(g.intBetween(0, ATTACKER_CERTS.size() - 1)), new byte[0]));
      for (Opcode op : new Opcode[] {Opcode.IFF, Opcode.GQ, Opcode.MV}) {
        asks.add(AutokeyMessages.valueRequest(op, g.intBetween(1, 0xFFFF), 0, 0,
            g.bytes(20, 64), new byte[0]));
      }
      ExtensionField ask = asks.get(g.intBetween(0, asks.size() - 1));
      NtpHeader h = NtpHeader.builder().version(4).mode(3).transmitTimestamp(now | 77).build();
      byte[] q = OnPathAttacker.seal(ATT, SA, h, List.of(ask), 0x8000_0000L | g.u32() >>> 1);
      ServerResponse r = server.responder().respond(q, 0, q.length, ATT, SA, now,
          NtpHeader.builder().version(4).mode(4).originTimestamp(now | 77).build());
      if (r.kind() == ServerResponse.Kind.REPLY) {
        for (ExtensionField f : PacketCodec.ntpd().decode(r.datagram()).fields()) {
          attacker.learn(f);
        }
      }
      checkCaches();
    }

    byte[] request() throws Exception {
      now = NtpTime.plusSeconds(now, 16);
      xmt = now | (g.u32() & 0xFFFF);
      NtpHeader h = NtpHeader.builder().leap(client.isSynchronised() ? 0 : 3).version(4)
          .mode(3).stratum(2).poll(4).transmitTimestamp(xmt).build();
      byte[] req = a.prepareTransmit(h, now);
      try {
        PacketCodec.ntpd().decode(req);
      } catch (dev.autokey.core.wire.MalformedPacketException ex) {
        fail(where("the client built a request its own decoder refuses: " + ex));
      }
      freshGenuine.clear(); // only answers to the current request are genuine answers
      return req;
    }

    /** The honest server's answer to {@code req}, or null if it drops it. */
    byte[] genuine(byte[] req) throws Exception {
      NtpHeader rh = NtpHeader.builder().leap(0).version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(xmt).receiveTimestamp(now).transmitTimestamp(now | 0x55).build();
      ServerResponse r = server.responder().respond(req, 0, req.length, CA, SA, now, rh);
      if (r.kind() == ServerResponse.Kind.DROP) {
        return null;
      }
      byte[] d = r.datagram();
      freshGenuine.add(d);
      for (ExtensionField f : PacketCodec.ntpd().decode(d).fields()) {
        if (f.opcode().equals(Opcode.SIGN) && f.isValueForm() && f.valueLength() > 0) {
          honestCerts.add(hex(f.certificateDer()));
        }
      }
      return d;
    }

    void deliverIf(byte[] d) throws Exception {
      if (d != null) {
        deliver(d);
      }
    }

    /** Delivers a datagram to the client and checks every invariant. */
    Verdict deliver(byte[] d) throws Exception {
      EngineInvariants.Snapshot before = EngineInvariants.snapshot(a, client);
      Verdict v = a.receive(d, 0, d.length, SA, CA, now);
      if (v.usableForTime()) {
        boolean fresh = false;
        for (int i = 0; i < freshGenuine.size(); i++) {
          if (java.util.Arrays.equals(freshGenuine.get(i), d)) {
            freshGenuine.remove(i);
            fresh = true;
            break;
          }
        }
        if (!fresh) {
          fail(where("forged or replayed datagram usable for time: " + v));
        }
        if (!client.isSynchronised()) {
          client.setSynchronised(true, now);
        }
      }
      EngineInvariants.checkTransition(before, EngineInvariants.snapshot(a, client), v,
          () -> where(""));
      checkCaches();
      return v;
    }

    void checkCaches() {
      EngineInvariants.checkCache(server, serverOwn, honestCerts, () -> where(""));
      EngineInvariants.checkCache(client, clientOwn, honestCerts, () -> where(""));
    }

    String where(String what) {
      return keys.scheme() + " step " + step + " (" + lastAction + "): " + what;
    }

    static Opcode firstOpcode(byte[] req) throws Exception {
      AutokeyPacket p = PacketCodec.ntpd().decode(req);
      return p.fields().isEmpty() ? null : p.fields().get(0).opcode();
    }
  }

  static String hex(byte[] b) {
    return EngineInvariants.hex(b);
  }
}
