package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.AdversaryClientServerTest.Keys;
import dev.autokey.crypto.suite.AdversaryClientServerTest.Scheme;
import dev.autokey.crypto.suite.EphemeralHosts.Host;
import dev.autokey.testing.Gen;
import dev.autokey.testing.PropertyCheck;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adversarial engine suite for the broadcast and symmetric modes (see {@link
 * AdversaryClientServerTest} for the attacker and {@link EngineInvariants} for the shared
 * invariants). In these modes a packet's time is vouched for only by the signed autokey values
 * and the key-ID chain; a MAC keyed with cookie 0 (every broadcast, and symmetric packets before
 * COOK) can be computed by anyone who knows the key ID. So the time invariant is: a usable packet
 * carries a key ID that the honest sender generated and that this receiver has not accepted
 * before (an attacker who intercepts a broadcast before it is delivered can put its key ID on
 * other contents: that is broadcast Autokey's design, not something an engine can prevent); once
 * a symmetric receiver holds the cookie, a usable packet must be a genuine packet of its peer,
 * delivered for the first time.
 */
class AdversaryModesTest {
  static final InetAddress SA = AttackTest.SA;
  static final InetAddress CA = AttackTest.CA;
  static final InetAddress BA = AttackTest.addr("10.77.0.255");
  /** {@code -Dautokey.trace=true} prints every verdict of a symmetric case (with its seed). */
  static final boolean TRACE = Boolean.getBoolean("autokey.trace");

  @Test
  void broadcast_onPathAttackerNeverWins() {
    PropertyCheck.forAll("broadcast: keyless on-path attacker never wins", g -> {
      List<Keys> ks = AdversaryClientServerTest.KEYS.stream()
          .filter(k -> k.scheme() != Scheme.PC).toList();
      new BroadcastWorld(ks.get(g.intBetween(0, ks.size() - 1)), g).run();
    });
  }

  @Test
  void symmetric_onPathAttackerNeverWins() {
    PropertyCheck.forAll("symmetric: keyless on-path attacker never wins", g -> {
      new SymmetricWorld(SYMMETRIC.get(g.intBetween(0, SYMMETRIC.size() - 1)), g).run();
    });
  }

  /** Two trusted peers per scheme (a symmetric peer is also a server of the other). */
  record PeerKeys(String scheme, Host alpha, Host beta, Optional<String> ident) {}

  static final List<PeerKeys> SYMMETRIC = new ArrayList<>();

  static {
    SecureRandom r = Scenarios.rng(9002);
    long fs = Scenarios.FS;
    SYMMETRIC.add(new PeerKeys("TC_STRICT", EphemeralHosts.trusted("alpha", fs, r),
        EphemeralHosts.trusted("beta", fs, r), Optional.empty()));
    SYMMETRIC.add(new PeerKeys("IFF", EphemeralHosts.trusted("alpha@grp", fs, r),
        EphemeralHosts.trusted("beta@grp", fs, r), Optional.of("grp")));
  }

  /** Common bookkeeping of one case. */
  abstract static class Base {
    final Gen g;
    final OnPathAttacker attacker;
    final Set<String> honestCerts = new HashSet<>();
    long now = NtpTime.ofSeconds(Scenarios.T0);
    int step;
    String lastAction = "";

    Base(Gen g) {
      this.g = g;
      this.attacker = new OnPathAttacker(g, AdversaryClientServerTest.ATTACKER_CERTS);
    }

    String where(String what) {
      return getClass().getSimpleName() + " step " + step + " (" + lastAction + ")" + what;
    }

    static void decodes(byte[] d, String what) {
      try {
        PacketCodec.ntpd().decode(d);
      } catch (MalformedPacketException ex) {
        fail(what + " built a datagram its own decoder refuses: " + ex);
      }
    }

    /** A forged packet from {@code src} to {@code dst} in {@code mode} with the given key ID. */
    byte[] forged(InetAddress src, InetAddress dst, int mode, long origin, long keyId,
        Opcode asked, long victimAssoc) {
      List<ExtensionField> fs = new ArrayList<>();
      int n = g.intBetween(0, 2);
      for (int i = 0; i < n; i++) {
        fs.add(attacker.forgedField(victimAssoc, asked));
      }
      return OnPathAttacker.seal(src, dst, attacker.header(mode, origin, now), fs, keyId);
    }

    /** An old datagram with a new transmit timestamp and origin, resealed with cookie 0. */
    byte[] resealed(InetAddress src, InetAddress dst, int mode, long origin) {
      byte[] old = attacker.replay();
      if (old == null) {
        return null;
      }
      try {
        AutokeyPacket p = PacketCodec.ntpd().decode(old);
        NtpHeader h = p.header().toBuilder().mode(mode).originTimestamp(origin)
            .transmitTimestamp(now + g.u32()).build();
        return OnPathAttacker.seal(src, dst, h, p.fields(), OnPathAttacker.keyId(old));
      } catch (MalformedPacketException ex) {
        return old;
      }
    }
  }

  /** Broadcast server → broadcast client (with its unicast volley), attacker on both paths. */
  static final class BroadcastWorld extends Base {
    final Keys keys;
    final AutokeyHost server;
    final AutokeyHost client;
    final BroadcastServer bs;
    BroadcastClient bc;
    final Set<Long> genuineKeyIds = new HashSet<>();
    final Set<Long> acceptedKeyIds = new HashSet<>();
    final List<byte[]> freshReplies = new ArrayList<>();
    long xmt;

    BroadcastWorld(Keys keys, Gen g) throws Exception {
      super(g);
      this.keys = keys;
      long seed = g.anyLong();
      AutokeyConfig clientCfg = keys.scheme() == Scheme.TC_STRICT
          ? AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
              .addTrustAnchor(keys.server().certificate()).build()
          : AutokeyConfig.defaults();
      server = AutokeyHost.create(AutokeyConfig.defaults(),
          AdversaryClientServerTest.World.serverSuite(keys, seed), Scenarios.rng(seed + 1),
          ProtocolEventListener.NONE);
      client = AutokeyHost.create(clientCfg,
          AdversaryClientServerTest.World.clientSuite(keys, seed), Scenarios.rng(seed + 2),
          ProtocolEventListener.NONE);
      server.setSynchronised(true, now);
      bs = server.broadcastServer(SA, BA);
      honestCerts.add(hex(keys.server().certificate()));
      honestCerts.add(hex(keys.client().certificate()));
    }

    void run() throws Exception {
      int steps = g.intBetween(4, 40);
      for (step = 0; step < steps; step++) {
        attackedStep();
      }
      lastAction = "recovery";
      boolean accepted = false;
      for (int i = 0; i < 80 && !accepted; i++) {
        byte[] b = genuineBroadcast();
        accepted = deliverBroadcast(b);
        unicast(false);
      }
      assertTrue(accepted, where(": no broadcast accepted within 80 honest steps"
          + (bc == null ? " (not mobilised)" : ", flags 0x"
              + Long.toHexString(bc.association().flags()))));
    }

    byte[] genuineBroadcast() {
      now = NtpTime.plusSeconds(now, 16);
      byte[] b = bs.prepareBroadcast(NtpHeader.builder().version(4)
          .mode(NtpHeader.MODE_BROADCAST).stratum(1).poll(4).transmitTimestamp(now | 0x99)
          .build(), now).orElseThrow();
      decodes(b, "the broadcast server");
      genuineKeyIds.add(OnPathAttacker.keyId(b));
      return b;
    }

    void attackedStep() throws Exception {
      byte[] b = genuineBroadcast();
      attacker.see(b);
      long keyId = OnPathAttacker.keyId(b);
      switch (g.intBetween(0, 7)) {
        case 0, 1 -> {
          lastAction = "broadcast passed";
          deliverBroadcast(b);
        }
        case 2 -> lastAction = "broadcast dropped";
        case 3 -> {
          lastAction = "broadcast intercepted, its key ID on forged contents";
          deliverBroadcast(forged(SA, BA, 5, 0, keyId, null, bs.associationId()));
        }
        case 4 -> {
          lastAction = "forged broadcast, key ID of the attacker's choosing, then the real one";
          deliverBroadcast(forged(SA, BA, 5, 0, g.bool() ? 0x8000_0000L | g.u32() >>> 1
              : reusedKeyId(), null, bs.associationId()));
          deliverBroadcast(b);
        }
        case 5 -> {
          lastAction = "old broadcast replayed";
          byte[] old = attacker.replay();
          if (old != null) {
            deliverBroadcast(old);
          }
          deliverBroadcast(b);
        }
        default -> {
          lastAction = "old broadcast (signed fields, used key ID) with a new time";
          byte[] r = resealed(SA, BA, 5, 0);
          if (r != null) {
            deliverBroadcast(r);
          }
          deliverBroadcast(b);
        }
      }
      unicast(true);
    }

    long reusedKeyId() {
      return acceptedKeyIds.isEmpty() ? 0x8000_0001L
          : new ArrayList<>(acceptedKeyIds).get(g.intBetween(0, acceptedKeyIds.size() - 1));
    }

    /** Delivers a broadcast; mobilises a client when there is none. Returns usable. */
    boolean deliverBroadcast(byte[] d) throws Exception {
      if (bc != null && bc.isDemobilised()) {
        bc.close();
        bc = null;
      }
      if (bc == null) {
        // A new client has accepted nothing yet. Any key ID of the server's current list that
        // was on the wire before it joined is new to it: an attacker who saw that key ID can
        // put it on forged contents, as it can with any broadcast it intercepts (cookie 0).
        acceptedKeyIds.clear();
        try {
          bc = BroadcastClient.mobilise(client, CA, d, 0, d.length, SA, BA, now, keys.ident())
              .orElse(null);
        } catch (AutokeyException ex) {
          bc = null; // a refused ASSOC (typed): nothing mobilised
        }
        checkCaches();
        return false;
      }
      Association a = bc.association();
      EngineInvariants.Snapshot before = EngineInvariants.snapshot(a, client);
      Verdict v = bc.receive(d, 0, d.length, SA, BA, now);
      int fields = fieldCount(d);
      if (v.usableForTime()) {
        long k = v.keyId();
        if (!genuineKeyIds.contains(k) || !acceptedKeyIds.add(k)) {
          fail(where(": broadcast with a key ID the server never made, or one used before, "
              + "usable for time: " + v));
        }
      }
      EngineInvariants.checkTransition(before, EngineInvariants.snapshot(a, client), v, fields,
          () -> where(""));
      checkCaches();
      return v.usableForTime();
    }

    /** The client's unicast request (volley or AUTO refetch), attacked or not. */
    void unicast(boolean attack) throws Exception {
      if (bc == null || bc.isDemobilised() || !bc.wantsToTransmit()) {
        return;
      }
      xmt = now | (g.u32() & 0xFFFF) | 1;
      byte[] req = bc.prepareTransmit(NtpHeader.builder().leap(client.isSynchronised() ? 0 : 3)
          .version(4).mode(3).poll(4).transmitTimestamp(xmt).build(), now);
      decodes(req, "the broadcast client");
      attacker.see(req);
      freshReplies.clear();
      NtpHeader rh = NtpHeader.builder().leap(0).version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(xmt).receiveTimestamp(now).transmitTimestamp(now | 0x55).build();
      ServerResponse r = server.responder().respond(req, 0, req.length, CA, SA, now, rh);
      byte[] rep = r.kind() == ServerResponse.Kind.DROP ? null : r.datagram();
      if (rep != null) {
        attacker.see(rep);
        freshReplies.add(rep);
        for (ExtensionField f : PacketCodec.ntpd().decode(rep).fields()) {
          if (f.opcode().equals(Opcode.SIGN) && f.isValueForm() && f.valueLength() > 0) {
            honestCerts.add(hex(f.certificateDer()));
          }
        }
      }
      long keyId = OnPathAttacker.keyId(req);
      AutokeyPacket rp = PacketCodec.ntpd().decode(req);
      Opcode asked = rp.fields().isEmpty() ? null : rp.fields().get(0).opcode();
      int action = attack ? g.intBetween(0, 5) : 0;
      if (action == 1) {
        lastAction = "unicast reply dropped";
        return;
      }
      if (action == 2) {
        lastAction = "forged unicast answer first";
        deliverReply(forged(SA, CA, 4, xmt, keyId, asked, bc.association().associationId()));
      } else if (action == 3) {
        lastAction = "crypto-NAK to the volley";
        deliverReply(OnPathAttacker.cryptoNak(4, xmt));
      } else if (action == 4) {
        lastAction = "old datagram resealed as the unicast answer";
        byte[] x = resealed(SA, CA, 4, xmt);
        if (x != null) {
          deliverReply(x);
        }
      } else {
        lastAction = attack ? "unicast passed" : lastAction;
      }
      if (rep != null) {
        deliverReply(rep);
      }
    }

    void deliverReply(byte[] d) throws Exception {
      if (bc == null || bc.isDemobilised()) {
        return;
      }
      Association a = bc.association();
      EngineInvariants.Snapshot before = EngineInvariants.snapshot(a, client);
      Verdict v = bc.receive(d, 0, d.length, SA, CA, now);
      if (v.usableForTime()) {
        boolean fresh = freshReplies.removeIf(x -> Arrays.equals(x, d));
        if (!fresh) {
          fail(where(": forged unicast reply usable for time: " + v));
        }
      }
      if (a.isProventic() && !client.isSynchronised()) {
        client.setSynchronised(true, now);
      }
      EngineInvariants.checkTransition(before, EngineInvariants.snapshot(a, client), v,
          () -> where(""));
      checkCaches();
    }

    void checkCaches() {
      EngineInvariants.checkCache(server, keys.server().certificate(), honestCerts,
          () -> where(""));
      EngineInvariants.checkCache(client, keys.client().certificate(), honestCerts,
          () -> where(""));
    }
  }

  /** Symmetric active (alpha) and passive (beta, mobilised by alpha's first packet). */
  static final class SymmetricWorld extends Base {
    final PeerKeys keys;
    final AutokeyHost ha;
    final AutokeyHost hb;
    final SymmetricPeer a;
    SymmetricPeer b;
    final Set<Long> genuineA = new HashSet<>();
    final Set<Long> genuineB = new HashSet<>();
    final Set<Long> acceptedAtA = new HashSet<>();
    final Set<Long> acceptedAtB = new HashSet<>();
    final List<byte[]> freshToA = new ArrayList<>();
    final List<byte[]> freshToB = new ArrayList<>();
    long lastXmtA;
    long lastXmtB;

    SymmetricWorld(PeerKeys keys, Gen g) throws Exception {
      super(g);
      this.keys = keys;
      long seed = g.anyLong();
      ha = AutokeyHost.create(config(keys, keys.beta()), suite(keys, keys.alpha(), seed),
          Scenarios.rng(seed + 1), ProtocolEventListener.NONE);
      hb = AutokeyHost.create(config(keys, keys.alpha()), suite(keys, keys.beta(), seed + 10),
          Scenarios.rng(seed + 2), ProtocolEventListener.NONE);
      ha.setSynchronised(true, now);
      hb.setSynchronised(true, now);
      a = SymmetricPeer.active(ha, SA, CA, keys.ident());
      honestCerts.add(hex(keys.alpha().certificate()));
      honestCerts.add(hex(keys.beta().certificate()));
    }

    static AutokeyConfig config(PeerKeys k, Host other) {
      return k.scheme().equals("TC_STRICT")
          ? AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
              .addTrustAnchor(other.certificate()).build()
          : AutokeyConfig.defaults();
    }

    static dev.autokey.core.protocol.CryptoSuite suite(PeerKeys k, Host h, long seed)
        throws Exception {
      var b = h.suite(Scenarios.rng(seed + 3));
      if (k.scheme().equals("IFF")) {
        return b.iffKey(Scenarios.IFF).iffParameters("grp", Scenarios.IFF.parameters()).build();
      }
      return b.build();
    }

    static NtpHeader header(SymmetricPeer p, long xmt) {
      return NtpHeader.builder().version(4).mode(p.ntpMode()).stratum(1).poll(4)
          .originTimestamp(p.lastReceivedTransmitTimestamp()).transmitTimestamp(xmt).build();
    }

    void run() throws Exception {
      int steps = g.intBetween(4, 40);
      for (step = 0; step < steps; step++) {
        half(true, true);
        half(false, true);
      }
      lastAction = "recovery";
      boolean sa = false;
      boolean sb = false;
      for (int i = 0; i < 80 && !(sa && sb); i++) {
        sb |= half(true, false);
        sa |= half(false, false);
      }
      assertTrue(sa && sb, where(": no recovery within 80 honest exchanges: alpha "
          + a.association() + ", beta " + (b == null ? "not mobilised" : b.association())));
    }

    /** One packet, alpha→beta or beta→alpha, attacked or not; returns usable at the receiver. */
    boolean half(boolean fromAlpha, boolean attack) throws Exception {
      now = NtpTime.plusSeconds(now, 8);
      if (b != null && b.association().flags() == 0) {
        // a reset passive peer is demobilised (ntpd): alpha's next ASSOC request mobilises a
        // new one, which has accepted nothing yet
        b.close();
        b = null;
        acceptedAtB.clear();
      }
      SymmetricPeer sender = fromAlpha ? a : b;
      if (sender == null) {
        return false;
      }
      long xmt = now | (g.u32() & 0xFFFF) | 1;
      byte[] pkt = sender.prepareTransmit(header(sender, xmt), now);
      decodes(pkt, "a symmetric peer");
      attacker.see(pkt);
      for (ExtensionField f : PacketCodec.ntpd().decode(pkt).fields()) {
        if (f.opcode().equals(Opcode.SIGN) && f.isResponse() && f.isValueForm()
            && f.valueLength() > 0) {
          honestCerts.add(hex(f.certificateDer())); // a certificate an honest peer signed
        }
      }
      (fromAlpha ? genuineA : genuineB).add(OnPathAttacker.keyId(pkt));
      List<byte[]> fresh = fromAlpha ? freshToB : freshToA;
      fresh.clear();
      fresh.add(pkt);
      InetAddress src = fromAlpha ? SA : CA;
      InetAddress dst = fromAlpha ? CA : SA;
      int mode = sender.ntpMode();
      // the attacker saw the receiver's last transmission: forged packets answer it
      long origin = fromAlpha ? lastXmtB : lastXmtA;
      if (fromAlpha) {
        lastXmtA = xmt;
      } else {
        lastXmtB = xmt;
      }
      int action = attack ? g.intBetween(0, 7) : 0;
      switch (action) {
        case 0, 1, 2 -> lastAction = attack ? "passed" : "recovery";
        case 3 -> {
          lastAction = "dropped";
          return false;
        }
        case 4 -> {
          lastAction = "intercepted, its key ID on forged contents";
          deliver(fromAlpha, forged(src, dst, mode, origin, OnPathAttacker.keyId(pkt), null,
              0), fresh);
          return false;
        }
        case 5 -> {
          lastAction = "forged packet first (any key ID)";
          deliver(fromAlpha, forged(src, dst, mode, origin, 0x8000_0000L | g.u32() >>> 1,
              null, g.intBetween(0, 0xFFFF)), fresh);
        }
        case 6 -> {
          lastAction = "old packet resealed with a new time";
          byte[] r = resealed(src, dst, mode, origin);
          if (r != null) {
            deliver(fromAlpha, r, fresh);
          }
        }
        default -> {
          lastAction = "crypto-NAK, then the packet twice";
          deliver(fromAlpha, OnPathAttacker.cryptoNak(mode, xmt), fresh);
          deliver(fromAlpha, pkt, fresh);
        }
      }
      return deliver(fromAlpha, pkt, fresh);
    }

    boolean deliver(boolean fromAlpha, byte[] d, List<byte[]> fresh) throws Exception {
      InetAddress src = fromAlpha ? SA : CA;
      InetAddress dst = fromAlpha ? CA : SA;
      if (fromAlpha && b == null) {
        b = SymmetricPeer.mobilisePassive(hb, CA, d, 0, d.length, SA, CA, now, keys.ident())
            .orElse(null);
        checkCaches();
        return false;
      }
      SymmetricPeer r = fromAlpha ? b : a;
      AutokeyHost rh = fromAlpha ? hb : ha;
      Association ra = r.association();
      boolean hadCookie = ra.has(Flag.COOK);
      EngineInvariants.Snapshot before = EngineInvariants.snapshot(ra, rh);
      Verdict v = r.receive(d, 0, d.length, src, dst, now);
      if (TRACE) {
        System.out.println(where(" " + (fromAlpha ? "->beta " : "->alpha ") + v + " | alpha "
            + a.association() + " beta " + (b == null ? "-" : b.association())));
      }
      if (v.usableForTime()) {
        if (hadCookie) {
          if (!fresh.removeIf(x -> Arrays.equals(x, d))) {
            fail(where(": forged packet usable for time by a peer holding the cookie: " + v));
          }
        } else {
          Set<Long> genuine = fromAlpha ? genuineA : genuineB;
          Set<Long> accepted = fromAlpha ? acceptedAtB : acceptedAtA;
          if (!genuine.contains(v.keyId()) || !accepted.add(v.keyId())) {
            fail(where(": key ID the peer never made, or used before, usable for time: " + v));
          }
        }
      }
      EngineInvariants.checkTransition(before, EngineInvariants.snapshot(ra, rh), v,
          fieldCount(d), () -> where(""));
      checkCaches();
      return v.usableForTime();
    }

    void checkCaches() {
      EngineInvariants.checkCache(ha, keys.alpha().certificate(), honestCerts, () -> where(""));
      EngineInvariants.checkCache(hb, keys.beta().certificate(), honestCerts, () -> where(""));
    }
  }

  static String hex(byte[] b) {
    return EngineInvariants.hex(b);
  }

  static int fieldCount(byte[] d) {
    try {
      return PacketCodec.ntpd().decode(d).fields().size();
    } catch (MalformedPacketException ex) {
      return 0;
    }
  }
}
