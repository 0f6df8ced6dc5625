package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Await;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Autokey broadcast mode on real UDP sockets: a Java broadcast server (mode 5 to
 * 127.255.255.255, the loopback interface's broadcast address in Linux's local routing table,
 * with {@code SO_BROADCAST}) and a Java broadcast client bound to that broadcast address. The
 * client mobilises from an ASSOC broadcast, runs the unicast volley (mode 3 to the server's
 * unicast address, answered by the server's responder, AUTO request included), then takes
 * broadcasts as authenticated samples by key-ID hashing; a forged broadcast sent over the wire
 * (valid cookie-0 MAC, key ID off the chain) is rejected and the client fetches AUTO again.
 */
class AutokeyBroadcastLoopbackTest {
  /** Deadline of every wait for an event (a loaded machine is slow, not stuck). */
  static final int DEADLINE = 120;

  /** One packet judged by the client: its mode, key ID and verdict. */
  record Seen(int mode, long keyId, Verdict verdict, boolean hasAutoField) {}

  @Test
  void tcBroadcastClientCompletesVolleyThenVerifiesBroadcastsByKeyIdChain() throws Exception {
    NtpClock clock = NtpClock.system();
    long nowSec = clock.now() >>> 32;
    SecureRandom r = new SecureRandom();
    List<String> log = new CopyOnWriteArrayList<>();
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", nowSec - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", nowSec - 100, r);
    AutokeyHost sh = AutokeyHost.create(AutokeyConfig.defaults(), srv.tcSuite(r), r,
        e -> log.add("server " + CryptostatsFormatter.format(e)));
    AutokeyHost ch = AutokeyHost.create(AutokeyConfig.defaults(), cli.tcSuite(r), r,
        e -> log.add("client " + CryptostatsFormatter.format(e)));
    sh.setSynchronised(true, clock.now());
    InetAddress clientLo = InetAddress.getByName("127.0.0.1");
    InetAddress serverLo = InetAddress.getByName("127.0.0.4");
    InetAddress bcast = InetAddress.getByName("127.255.255.255");
    int port;
    try (UdpTransport probe = UdpTransport.builder().bind(new InetSocketAddress(clientLo, 0))
        .handler(d -> { }).start()) {
      port = probe.localAddresses().get(0).getPort();
    }
    InetSocketAddress group = new InetSocketAddress(bcast, port);
    List<Seen> seen = new CopyOnWriteArrayList<>();
    List<BroadcastClient> mobilised = new CopyOnWriteArrayList<>();
    List<TimeSample> samples = new CopyOnWriteArrayList<>();
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(serverLo, 0))
            .timeSource(TimeSource.localClock(clock, 2))
            .serve(new AutokeyResponderAuthenticator(sh.responder(), clock)).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(clientLo, port))
            .bindBroadcast(group).build()) {
      InetSocketAddress from = server.transport().localAddresses().get(0);
      AutokeyTimers serverTimers = AutokeyTimers.start(server.transport(), clock, sh);
      BroadcastServer bs = sh.broadcastServer(serverLo, bcast);
      AutokeyAuthenticator bsa = new AutokeyAuthenticator(bs, serverTimers);
      BroadcastClientAuthenticator.Factory autokey = AutokeyAuthenticator.broadcastClients(
          AutokeyTimers.start(client.transport(), clock, ch), v -> { }, mobilised::add);
      client.broadcastClient(recording(autokey, seen), NtpNode.DEFAULT_BROADCAST_DELAY,
          Duration.ofMillis(100), s -> {
            if (!ch.isSynchronised()) {
              ch.setSynchronised(true, clock.now());
            }
            samples.add(s);
          });
      long t0 = System.nanoTime();
      Cancellable stop = server.broadcastServer(from, group, 3, Duration.ofMillis(200), bsa);
      BooleanSupplier volleyDone = () -> !mobilised.isEmpty()
          && mobilised.get(0).isReceivingBroadcasts();
      await(volleyDone, DEADLINE, () -> log + " " + seen);
      double secs = (System.nanoTime() - t0) / 1e9;
      BroadcastClient bc = mobilised.get(0);
      assertTrue(bc.association().allFlags(), bc.toString());
      assertEquals(from.getAddress(), bc.server());
      assertEquals(bcast, bc.broadcastAddress());
      int volleyEnd = seen.size();
      long unicastAnswers = seen.stream().filter(x -> x.mode() == NtpHeader.MODE_SERVER).count();
      await(() -> acceptedBroadcasts(seen, volleyEnd).size() >= 8, DEADLINE, seen::toString);
      List<Seen> accepted = acceptedBroadcasts(seen, volleyEnd);
      System.out.printf("[net-bcast] all flags 0x%08x after %.2f s (%d volley replies), then %d"
          + " broadcasts accepted%n", bc.association().flags(), secs, unicastAnswers,
          accepted.size());
      assertTrue(unicastAnswers >= 5, "volley: CERT, COOK, AUTO, SIGN, LEAP replies: " + seen);
      // independent check: each accepted key ID hashes (cookie 0, server -> broadcast address)
      // to the previous accepted one in one step (nothing is lost on loopback)
      SessionKeyEngine e = SessionKeyEngine.md5();
      AddressPair pair = AddressPair.of(from.getAddress(), bcast);
      int chained = 0;
      for (int i = 1; i < accepted.size(); i++) {
        if (!accepted.get(i).hasAutoField()) {
          assertEquals(accepted.get(i - 1).keyId(),
              e.nextKeyId(pair, (int) accepted.get(i).keyId(), 0) & 0xFFFF_FFFFL,
              "key ID chain at " + i);
          chained++;
        }
      }
      assertTrue(chained >= 6, "broadcasts verified by hashing: " + chained);
      long bsamples = samples.stream().filter(s -> s.mode() == NtpHeader.MODE_BROADCAST
          && s.authenticated() && s.local().equals(group)).count();
      assertTrue(bsamples >= 8, "broadcast samples " + bsamples);
      assertEquals(0, seen.stream().filter(x -> x.verdict().kind() == Verdict.Kind.REJECTED)
          .count(), seen.toString());
      assertFalse(bc.wantsToTransmit(), "no unicast once broadcasts verify");

      // a forger on the medium: valid cookie-0 MAC, key ID not on the server's chain
      NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST).stratum(2)
          .poll(3).transmitTimestamp(clock.now()).build();
      byte[] pkt = new byte[NtpHeader.LENGTH + e.macLength()];
      h.writeTo(ByteBuffer.wrap(pkt));
      int forged = 0x7A5E_0001;
      e.computeMac(pair, forged, 0, pkt, 0, NtpHeader.LENGTH);
      int before = seen.size();
      server.transport().execute(() -> server.transport().send(ByteBuffer.wrap(pkt), from, group));
      await(() -> seen.subList(before, seen.size()).stream().anyMatch(x -> x.keyId() == forged),
          DEADLINE, seen::toString);
      Seen f = seen.subList(before, seen.size()).stream().filter(x -> x.keyId() == forged)
          .findFirst().orElseThrow();
      assertEquals(Verdict.Kind.REJECTED, f.verdict().kind(), f.toString());
      assertEquals(Verdict.Cause.BAD_KEY_ID, f.verdict().cause(), f.toString());
      // AUTO cleared, fetched again by unicast, then the real broadcasts are accepted again
      int afterForgery = seen.indexOf(f) + 1;
      await(() -> seen.subList(afterForgery, seen.size()).stream()
          .anyMatch(x -> x.mode() == NtpHeader.MODE_SERVER), DEADLINE, seen::toString);
      await(() -> bc.association().has(Flag.AUTO)
          && acceptedBroadcasts(seen, afterForgery).size() >= 3, DEADLINE, seen::toString);
      stop.cancel();
      // the cancel runs on the server's loop: once a later task has run there, no broadcast of
      // the old server is under way
      java.util.concurrent.CompletableFuture<Void> stopped =
          new java.util.concurrent.CompletableFuture<>();
      server.transport().execute(() -> stopped.complete(null));
      stopped.get(DEADLINE, TimeUnit.SECONDS);
      System.out.printf("[net-bcast] forged key ID %08x rejected (%s), AUTO fetched again, %d"
          + " broadcasts accepted since; node %s%n", forged, f.verdict().cause(),
          acceptedBroadcasts(seen, afterForgery).size(), client.stats());
      assertEquals(1, client.stats().broadcastMobilisations());

      // the broadcast server restarts with a new association ID: the ASSOC in its broadcasts no
      // longer matches (XEVNT_ERR resets the client), the node forgets the demobilised client
      // and mobilises a new one from the next ASSOC broadcast, which runs its own volley
      bs.close();
      BroadcastServer bs2 = sh.broadcastServer(serverLo, bcast);
      assertTrue(bs2.associationId() != bs.associationId());
      Cancellable stop2 = server.broadcastServer(from, group, 3, Duration.ofMillis(200),
          new AutokeyAuthenticator(bs2, serverTimers));
      await(() -> mobilised.size() == 2 && mobilised.get(1).isReceivingBroadcasts(),
          DEADLINE, () -> log + " " + client.stats());
      int restart = seen.size();
      await(() -> acceptedBroadcasts(seen, restart).size() >= 3, DEADLINE, seen::toString);
      stop2.cancel();
      assertTrue(bc.isDemobilised(), bc.toString());
      assertEquals(2, client.stats().broadcastMobilisations());
      assertEquals(1, client.stats().broadcastDemobilisations());
      System.out.printf("[net-bcast] server restart: old client demobilised, new one mobilised"
          + " and verifying broadcasts (flags 0x%08x); node %s%n",
          mobilised.get(1).association().flags(), client.stats());
    }
  }

  static List<Seen> acceptedBroadcasts(List<Seen> seen, int from) {
    List<Seen> l = new ArrayList<>();
    for (Seen s : seen.subList(from, seen.size())) {
      if (s.mode() == NtpHeader.MODE_BROADCAST && s.verdict().kind() == Verdict.Kind.ACCEPTED) {
        l.add(s);
      }
    }
    return l;
  }

  /** Wraps the factory's authenticators to record each judged packet with its verdict. */
  static BroadcastClientAuthenticator.Factory recording(BroadcastClientAuthenticator.Factory f,
      List<Seen> seen) {
    return (d, local) -> f.mobilise(d, local).map(a -> new BroadcastClientAuthenticator() {
      @Override
      public boolean wantsUnicast() {
        return a.wantsUnicast();
      }

      @Override
      public boolean isDemobilised() {
        return a.isDemobilised();
      }

      @Override
      public boolean seal(ByteBuffer packet, InetSocketAddress l, InetSocketAddress remote) {
        return a.seal(packet, l, remote);
      }

      @Override
      public Verdict open(Datagram datagram) {
        Verdict v = a.open(datagram);
        byte[] p = datagram.copyPayload();
        seen.add(new Seen(p[0] & 7, v.keyId(), v, hasAuto(p)));
        return v;
      }

      @Override
      public void close() {
        a.close();
      }
    });
  }

  /** Whether a packet carries an AUTO response field (opcode 3, R bit). */
  static boolean hasAuto(byte[] p) {
    try {
      return dev.autokey.core.wire.PacketCodec.ntpd().decode(p, 0, p.length).fields().stream()
          .anyMatch(x -> x.opcode().equals(dev.autokey.core.wire.Opcode.AUTO));
    } catch (dev.autokey.core.wire.MalformedPacketException ex) {
      return false;
    }
  }

  static void await(BooleanSupplier c, int seconds, Supplier<String> what)
      throws InterruptedException {
    Await.until(c, seconds, what);
  }
}
