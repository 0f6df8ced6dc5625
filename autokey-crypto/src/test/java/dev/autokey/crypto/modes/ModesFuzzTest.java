package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzz targets for the receive paths of the broadcast client ({@link BroadcastClient#mobilise},
 * {@link BroadcastClient#receive}) and the symmetric peer ({@link SymmetricPeer#receive}): any
 * datagram must end in a {@link Verdict} (or, for mobilisation, empty or an {@link
 * AutokeyException}), never an unchecked exception.
 *
 * <p>Each input is fed as it is and "sealed": cut to the header plus whole words and given a
 * valid MAC with cookie 0 (what anyone can compute for packets with extension fields and for
 * broadcasts), keyed with the key ID the receiver expects next (the server's next real broadcast,
 * the peer's next real packet, the client's last request), with the origin timestamp patched
 * where the receiver checks it, so that the fuzzer's fields reach the protocol code behind the
 * MAC and key-ID checks. Every input gets a fresh receiver that has reached all flags (seeded, so
 * each input's outcome is reproducible). Seeds: the UDP payloads of
 * testdata/captures/tc-broadcast and tc-symmetric, whose addresses the fixture uses, in {@code
 * ModesFuzzTestInputs/}.
 */
class ModesFuzzTest {
  static final long T0 = NtpTime.ofSeconds(ModesFixture.T0);
  static final InetAddress SA = address("192.0.2.1");
  static final InetAddress CA = address("192.0.2.2");
  static final InetAddress BA = address("192.0.2.255");
  static final int MAC = 20;
  static final AutokeyConfig CONFIG = AutokeyConfig.builder()
      .budget(new WorkBudget(1_000_000, 1_000_000)).build();

  static final CryptoSuite SERVER_SUITE;
  static final CryptoSuite CLIENT_SUITE;
  static final AutokeyHost SERVER;
  static final AutokeyHost MOBILISER;
  /** The broadcast that mobilises (an ASSOC response) and the next real one. */
  static final byte[] ASSOC_BROADCAST;
  static final byte[] NEXT_BROADCAST;

  static {
    try {
      SecureRandom r = ModesFixture.rng(5906);
      long fs = NtpTime.seconds(T0) - 100;
      SERVER_SUITE = EphemeralHosts.trusted("server", fs, r).tcSuite(r);
      CLIENT_SUITE = EphemeralHosts.ordinary("client", fs, r).tcSuite(r);
      SERVER = AutokeyHost.create(CONFIG, SERVER_SUITE, ModesFixture.rng(1),
          ProtocolEventListener.NONE);
      SERVER.setSynchronised(true, T0);
      BroadcastServer bs = SERVER.broadcastServer(SA, BA);
      broadcast(bs, T0); // the first list's AUTO push
      ASSOC_BROADCAST = broadcast(bs, NtpTime.plusSeconds(T0, 16));
      NEXT_BROADCAST = broadcast(bs, NtpTime.plusSeconds(T0, 32));
      MOBILISER = AutokeyHost.create(CONFIG, CLIENT_SUITE, ModesFixture.rng(2),
          ProtocolEventListener.NONE);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] broadcast(BroadcastServer bs, long now) {
    return bs.prepareBroadcast(NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST)
        .stratum(1).poll(4).transmitTimestamp(now).build(), now).orElseThrow();
  }

  static int keyIdAt(byte[] d, int macOffset) {
    return ByteBuffer.wrap(d, macOffset, 4).getInt();
  }

  /**
   * The input cut to the header and whole words (at most 2120 bytes with the MAC), with a valid
   * MAC for (src, dst, keyId, cookie 0); {@code origin}, if not 0, replaces the origin
   * timestamp. Null if the input is shorter than a header.
   */
  static byte[] seal(byte[] input, int keyId, InetAddress src, InetAddress dst, long origin) {
    if (input.length < NtpHeader.LENGTH) {
      return null;
    }
    int body = Math.min(NtpHeader.LENGTH + ((input.length - NtpHeader.LENGTH) & ~3), 2120 - MAC);
    byte[] d = Arrays.copyOf(input, body + MAC);
    if (origin != 0) {
      ByteBuffer.wrap(d, 24, 8).putLong(origin);
    }
    SessionKeyEngine.md5().computeMac(AddressPair.of(src, dst), keyId, 0, d, 0, body);
    return d;
  }

  // ---------------------------------------------------------------- broadcast client

  record Client(BroadcastClient bc, long now, long lastXmt, int lastKeyId) {}

  /** A broadcast client mobilised by the server's ASSOC broadcast, after its volley. */
  static Client freshClient() throws AutokeyException {
    AutokeyHost ch = AutokeyHost.create(CONFIG, CLIENT_SUITE, ModesFixture.rng(3),
        ProtocolEventListener.NONE);
    long now = NtpTime.plusSeconds(T0, 16);
    BroadcastClient bc = BroadcastClient.mobilise(ch, CA, ASSOC_BROADCAST, 0,
        ASSOC_BROADCAST.length, SA, BA, now, Optional.empty()).orElseThrow();
    long xmt = 0;
    int keyId = 0;
    for (int i = 0; i < 20 && bc.wantsToTransmit(); i++) {
      now = NtpTime.plusSeconds(now, 16);
      xmt = now | 0x2a;
      byte[] q = bc.prepareTransmit(NtpHeader.builder().version(4).mode(3).poll(4)
          .transmitTimestamp(xmt).build(), now);
      keyId = keyIdAt(q, q.length - MAC);
      NtpHeader rh = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(xmt).receiveTimestamp(now).transmitTimestamp(now + 1).build();
      byte[] reply = SERVER.responder().respond(q, 0, q.length, CA, SA, now, rh).datagram();
      bc.receive(reply, 0, reply.length, SA, CA, now);
      ch.setSynchronised(bc.association().isProventic(), now);
    }
    if (!bc.isReceivingBroadcasts()) {
      throw new IllegalStateException("fixture: broadcast client did not finish its volley "
          + bc);
    }
    return new Client(bc, now, xmt, keyId);
  }

  @FuzzTest(maxDuration = "30s")
  void broadcastReceive(byte[] input) throws Exception {
    Client c = freshClient();
    BroadcastClient bc = c.bc();
    long t = NtpTime.plusSeconds(c.now(), 1);
    assertNotNull(bc.receive(input, 0, input.length, SA, BA, t));
    assertNotNull(bc.receive(input, 0, input.length, SA, CA, t));
    byte[] b = seal(input, keyIdAt(NEXT_BROADCAST, NEXT_BROADCAST.length - MAC), SA, BA, 0);
    if (b != null) {
      assertNotNull(bc.receive(b, 0, b.length, SA, BA, NtpTime.plusSeconds(t, 1)));
      byte[] u = seal(input, c.lastKeyId(), SA, CA, c.lastXmt());
      assertNotNull(bc.receive(u, 0, u.length, SA, CA, NtpTime.plusSeconds(t, 2)));
    }
  }

  @FuzzTest(maxDuration = "30s")
  void broadcastMobilise(byte[] input) {
    byte[] sealed = input.length >= NtpHeader.LENGTH + 4
        ? seal(input, keyIdAt(input, NtpHeader.LENGTH) | 0x10000, SA, BA, 0) : null;
    for (byte[] d : new byte[][] {input, sealed}) {
      if (d == null) {
        continue;
      }
      try {
        Optional<BroadcastClient> bc = BroadcastClient.mobilise(MOBILISER, CA, d, 0, d.length,
            SA, BA, T0, Optional.empty());
        if (bc.isPresent()) {
          // and its first reply-or-broadcast: the same bytes again
          assertNotNull(bc.get().receive(d, 0, d.length, SA, BA, NtpTime.plusSeconds(T0, 1)));
          bc.get().close();
        }
      } catch (AutokeyException refused) {
        assertNotNull(refused.event());
      }
    }
  }

  // ---------------------------------------------------------------- symmetric peers

  static final CryptoSuite ALPHA_SUITE;
  static final CryptoSuite BETA_SUITE;

  static {
    try {
      SecureRandom r = ModesFixture.rng(5907);
      long fs = NtpTime.seconds(T0) - 100;
      ALPHA_SUITE = EphemeralHosts.trusted("alpha", fs, r).tcSuite(r);
      BETA_SUITE = EphemeralHosts.trusted("beta", fs, r).tcSuite(r);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  record Peers(SymmetricPeer a, SymmetricPeer b, long now, long bLastXmt) {}

  static NtpHeader peerHeader(SymmetricPeer p, long xmt) {
    return NtpHeader.builder().version(4).mode(p.ntpMode()).stratum(1).poll(4)
        .originTimestamp(p.lastReceivedTransmitTimestamp()).transmitTimestamp(xmt).build();
  }

  /** Two active peers (alpha = 192.0.2.1, beta = 192.0.2.2) with all flags on both sides. */
  static Peers freshPeers() throws AutokeyException {
    AutokeyHost ha = AutokeyHost.create(CONFIG, ALPHA_SUITE, ModesFixture.rng(4),
        ProtocolEventListener.NONE);
    AutokeyHost hb = AutokeyHost.create(CONFIG, BETA_SUITE, ModesFixture.rng(5),
        ProtocolEventListener.NONE);
    ha.setSynchronised(true, T0);
    hb.setSynchronised(true, T0);
    SymmetricPeer a = SymmetricPeer.active(ha, SA, CA, Optional.empty());
    SymmetricPeer b = SymmetricPeer.active(hb, CA, SA, Optional.empty());
    long now = T0;
    long bXmt = 0;
    for (int i = 0; i < 40 && !(a.association().allFlags() && b.association().allFlags()); i++) {
      now = NtpTime.plusSeconds(now, 8);
      byte[] pa = a.prepareTransmit(peerHeader(a, now | 0x11), now);
      b.receive(pa, 0, pa.length, SA, CA, now);
      now = NtpTime.plusSeconds(now, 8);
      bXmt = now | 0x22;
      byte[] pb = b.prepareTransmit(peerHeader(b, bXmt), now);
      a.receive(pb, 0, pb.length, CA, SA, now);
    }
    if (!a.association().allFlags() || !b.association().allFlags()) {
      throw new IllegalStateException("fixture: peers did not reach all flags " + a + " " + b);
    }
    return new Peers(a, b, now, bXmt);
  }

  @FuzzTest(maxDuration = "30s")
  void symmetricReceive(byte[] input) throws Exception {
    Peers p = freshPeers();
    long t = NtpTime.plusSeconds(p.now(), 8);
    // alpha's next real packet: its key ID is the one beta's chain check expects
    byte[] next = p.a().prepareTransmit(peerHeader(p.a(), t | 0x33), t);
    int keyId = keyIdAt(next, next.length - MAC);
    assertNotNull(p.b().receive(input, 0, input.length, SA, CA, t));
    byte[] s = seal(input, keyId, SA, CA, p.bLastXmt());
    if (s != null) {
      assertNotNull(p.b().receive(s, 0, s.length, SA, CA, NtpTime.plusSeconds(t, 1)));
      // passive mobilisation on a third host from the same bytes
      AutokeyHost hc = AutokeyHost.create(CONFIG, BETA_SUITE, ModesFixture.rng(6),
          ProtocolEventListener.NONE);
      SymmetricPeer.mobilisePassive(hc, CA, s, 0, s.length, SA, CA, t, Optional.empty())
          .ifPresent(m -> assertNotNull(m.receive(s, 0, s.length, SA, CA,
              NtpTime.plusSeconds(t, 2))));
    }
  }
}
