package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Allocations;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import dev.autokey.net.internal.NtpHeaderWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Allocation on the client's steady-state path through autokey-net, all flags lit: write the
 * request header into the send buffer ({@link NtpHeaderWriter}), seal it in place ({@link
 * AutokeyAuthenticator} over the engine's client {@link Association}), let the server's
 * responder answer in place ({@code ServerResponder.respondInto}, as {@link
 * AutokeyResponderAuthenticator} does), judge the reply ({@link AutokeyAuthenticator#open}) and
 * run the timer driver ({@link AutokeyTimers}). Engine-level, no sockets: the datagram wrapper the
 * transport makes for each received packet is reused here. Measured with the thread's allocation
 * counter (no timing involved), least of 5 rounds: a per-packet allocation shows in every round.
 *
 * <p>The transmit path allocates nothing per packet. The engine's receive (decoding the reply,
 * the verdict) does allocate; for the whole transmit + receive path the test checks that the
 * autokey-net layer adds nothing per packet to what the engine's own {@code seal} and {@code
 * receive} allocate, and prints both figures.
 */
class ClientAllocationTest {
  static final int PACKETS = 20_000;
  static final int POLL = 3;

  /** One client and one server, in memory; {@link #exchange} is one poll. */
  static final class Pair {
    final long[] time = {NtpClock.system().now()};
    final NtpClock clock = () -> time[0];
    final InetAddress clientIp = InetAddress.getLoopbackAddress();
    final InetAddress serverIp;
    final InetSocketAddress client;
    final InetSocketAddress server;
    final byte[] clientBytes;
    final byte[] serverBytes;
    final AutokeyHost serverHost;
    final AutokeyHost clientHost;
    final Association association;
    final AutokeyTimers timers;
    final AutokeyAuthenticator auth;
    final ByteBuffer tx = ByteBuffer.allocate(UdpTransport.MAX_DATAGRAM);
    final byte[] rx = new byte[UdpTransport.MAX_DATAGRAM];
    final ServerStatus clientStatus = ServerStatus.unsynchronized(TimeSource.SYSTEM_PRECISION);
    final ServerStatus serverStatus;
    final ServerResponder responder;
    Datagram reply;

    Pair() throws Exception {
      SecureRandom r = new SecureRandom();
      long nowSec = time[0] >>> 32;
      serverIp = InetAddress.getByName("127.0.0.2");
      client = new InetSocketAddress(clientIp, 40123);
      server = new InetSocketAddress(serverIp, 123);
      clientBytes = clientIp.getAddress();
      serverBytes = serverIp.getAddress();
      serverHost = AutokeyHost.create(AutokeyConfig.defaults(),
          EphemeralHosts.trusted("server", nowSec - 100, r).tcSuite(r), r, e -> { });
      serverHost.setSynchronised(true, time[0]);
      clientHost = AutokeyHost.create(AutokeyConfig.defaults(),
          EphemeralHosts.ordinary("client", nowSec - 100, r).tcSuite(r), r, e -> { });
      association = clientHost.client(clientIp, serverIp, Optional.empty());
      timers = AutokeyTimers.unscheduled(clock, clientHost);
      auth = new AutokeyAuthenticator(association, timers);
      responder = serverHost.responder();
      serverStatus = TimeSource.localClock(clock, 2).status();
    }

    /** Writes and seals the next request in {@link #tx}; returns its length. */
    int transmit() {
      time[0] += 1L << 22; // ~1 ms
      NtpHeaderWriter.write(tx.array(), 0, clientStatus, 4, NtpHeader.MODE_CLIENT, POLL, 0, 0,
          time[0]);
      tx.clear().position(NtpHeaderWriter.LENGTH);
      if (!auth.seal(tx, client, server)) {
        throw new AssertionError("nothing sealed");
      }
      return tx.position();
    }

    /**
     * One request and its reply, through autokey-net ({@code net}) or straight through the
     * engine's {@code seal} and {@code receive} (the same header, the same buffers); returns the
     * reply's verdict.
     */
    Verdict exchange(boolean net) {
      int n;
      if (net) {
        n = transmit();
      } else {
        time[0] += 1L << 22;
        NtpHeaderWriter.write(tx.array(), 0, clientStatus, 4, NtpHeader.MODE_CLIENT, POLL, 0, 0,
            time[0]);
        n = association.seal(tx.array(), 0, tx.capacity(), time[0]);
      }
      long xmt = time[0];
      NtpHeaderWriter.write(rx, 0, serverStatus, 4, NtpHeader.MODE_SERVER, POLL, xmt, xmt,
          xmt + 1);
      int m = responder.respondInto(tx.array(), 0, n, clientBytes, serverBytes, xmt, rx, 0);
      if (reply == null || reply.length() != m) {
        reply = new Datagram(rx, m, server, client, false, xmt);
      }
      if (!net) {
        return association.receive(rx, 0, m, serverIp, clientIp, xmt);
      }
      Verdict v = auth.open(reply);
      timers.runDue(xmt);
      return v;
    }
  }

  /** A pair with all flags lit on the client and one accepted sample. */
  static Pair steadyPair() throws Exception {
    Pair p = new Pair();
    int polls = 0;
    while (!p.association.allFlags()) {
      p.exchange(true);
      assertTrue(++polls < 100, "no all flags after 100 polls: " + p.association);
    }
    assertEquals(Verdict.Kind.ACCEPTED, p.exchange(true).kind(), p.association.toString());
    return p;
  }

  @Test
  void transmitPathAllocatesNothingPerPacket() throws Exception {
    Pair p = steadyPair();
    for (int i = 0; i < PACKETS; i++) { // warm-up (compilation)
      p.exchange(true);
    }
    // rounds of 64 requests without replies (a client association stays in steady state): the
    // engine makes a new key list every 100 transmissions (ntpd's NTP_MAXSESSION), which falls
    // into at most 4 of 5 consecutive rounds; a per-packet allocation of even 16 bytes would show
    // 1,024 bytes in every round
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = Allocations.currentThread();
      for (int i = 0; i < 64; i++) {
        p.transmit();
        p.timers.runDue(p.time[0]);
      }
      least = Math.min(least, Allocations.currentThread() - before);
    }
    System.out.printf("[net-alloc] transmit (header, in-place seal, timers), all flags lit: "
        + "least of 5 rounds %d bytes for 64 packets%n", least);
    assertTrue(least < 256, least + " bytes allocated in 64 transmissions");
  }

  @Test
  void netAddsNothingPerPacketToTheEnginesReceive() throws Exception {
    Pair p = steadyPair();
    long[] viaNet = {Long.MAX_VALUE};
    long[] engineOnly = {Long.MAX_VALUE};
    int[] accepted = {0};
    for (int round = -1; round < 5; round++) { // round -1: warm-up (compilation)
      for (boolean net : new boolean[] {true, false}) {
        long before = Allocations.currentThread();
        for (int i = 0; i < PACKETS; i++) {
          if (p.exchange(net).usableForTime()) {
            accepted[0]++;
          }
        }
        long bytes = Allocations.currentThread() - before;
        if (round >= 0) {
          long[] least = net ? viaNet : engineOnly;
          least[0] = Math.min(least[0], bytes);
        }
      }
    }
    System.out.printf("[net-alloc] transmit + receive, all flags lit, least of 5 rounds of %d "
        + "packets: through autokey-net %d bytes (%d per packet), engine seal/receive alone %d "
        + "bytes%n", PACKETS, viaNet[0], viaNet[0] / PACKETS, engineOnly[0]);
    assertEquals(12 * PACKETS, accepted[0]);
    // the engine's own allocation is the same in both loops (one key list per 100 packets may
    // fall differently: a few KiB); anything autokey-net allocated per packet would add at least
    // 16 bytes a packet, 320,000 bytes a round
    assertTrue(viaNet[0] - engineOnly[0] < PACKETS, "autokey-net adds " + (viaNet[0]
        - engineOnly[0]) + " bytes to " + PACKETS + " packets");
  }
}
