package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyEngine;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one engine interface: sealing in place into the caller's buffer, in every mode. */
class AutokeyEngineTest {
  private static final long T0 = NtpTime.ofUnixMillis(1_765_000_000_000L);
  private static final InetAddress SA = address(192, 0, 2, 1);
  private static final InetAddress CA = address(192, 0, 2, 2);

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static AutokeyHost host(String name, boolean trusted) throws Exception {
    SecureRandom random = new SecureRandom(new byte[] {9});
    long fs = NtpTime.seconds(T0) - 60;
    EphemeralHosts.Host c = trusted ? EphemeralHosts.trusted(name, fs, random)
        : EphemeralHosts.ordinary(name, fs, random);
    return AutokeyHost.create(AutokeyConfig.defaults(), c.tcSuite(random), random,
        ProtocolEventListener.NONE);
  }

  private static void header(byte[] buf, int off, int mode, long now) {
    NtpHeader.builder().version(4).mode(mode).poll(4).transmitTimestamp(now).build()
        .writeTo(ByteBuffer.wrap(buf, off, NtpHeader.LENGTH));
  }

  @Test
  void clientSealsInPlaceAtAnOffset_reachesAllFlags_touchesNothingAround() throws Exception {
    AutokeyHost server = host("server", true);
    server.setSynchronised(true, T0);
    AutokeyHost clientHost = host("client", false);
    AutokeyEngine client = clientHost.client(CA, SA, Optional.empty());
    byte[] buf = new byte[100 + AutokeyEngine.MAX_DATAGRAM + 100];
    long now = T0;
    Verdict v = null;
    int accepted = 0;
    for (int poll = 0; poll < 16 && accepted < 2; poll++, now += 16L << 32) {
      Arrays.fill(buf, (byte) 0x5A);
      header(buf, 100, NtpHeader.MODE_CLIENT, now);
      int n = client.seal(buf, 100, AutokeyEngine.MAX_DATAGRAM, now);
      assertTrue(n >= NtpHeader.LENGTH + 20, "datagram length " + n);
      for (int i = 0; i < 100; i++) {
        assertEquals((byte) 0x5A, buf[i], "byte before the datagram");
      }
      for (int i = 100 + n; i < buf.length; i++) {
        assertEquals((byte) 0x5A, buf[i], "byte after the datagram");
      }
      NtpHeader r = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
      byte[] reply = server.responder().respond(buf, 100, n, CA, SA, now, r).datagram();
      v = client.receive(reply, 0, reply.length, SA, CA, now);
      if (v.usableForTime()) {
        accepted++;
      }
    }
    assertEquals(2, accepted, String.valueOf(v));
  }

  @Test
  void tooSmallCapacityOverflows() throws Exception {
    AutokeyEngine client = host("client", false).client(CA, SA, Optional.empty());
    byte[] buf = new byte[AutokeyEngine.MAX_DATAGRAM];
    header(buf, 0, NtpHeader.MODE_CLIENT, T0);
    assertThrows(BufferOverflowException.class, () -> client.seal(buf, 0, 60, T0));
    assertThrows(IndexOutOfBoundsException.class, () -> client.seal(buf, 10, buf.length, T0));
  }

  @Test
  void broadcastServerSealsNothingWhileUnsynchronised_andChecksTheMode() throws Exception {
    AutokeyHost h = host("server", true);
    BroadcastServer b = h.broadcastServer(SA, address(192, 0, 2, 255));
    byte[] buf = new byte[AutokeyEngine.MAX_DATAGRAM];
    header(buf, 0, NtpHeader.MODE_BROADCAST, T0);
    assertEquals(0, b.seal(buf, 0, buf.length, T0));
    h.setSynchronised(true, T0);
    assertTrue(b.seal(buf, 0, buf.length, T0) > NtpHeader.LENGTH);
    header(buf, 0, NtpHeader.MODE_CLIENT, T0);
    assertThrows(IllegalArgumentException.class, () -> b.seal(buf, 0, buf.length, T0));
  }

  @Test
  void symmetricPeerChecksTheMode() throws Exception {
    SymmetricPeer p = host("peer", true).symmetricActive(CA, SA, Optional.empty());
    byte[] buf = new byte[AutokeyEngine.MAX_DATAGRAM];
    header(buf, 0, NtpHeader.MODE_SYMMETRIC_PASSIVE, T0);
    assertThrows(IllegalArgumentException.class, () -> p.seal(buf, 0, buf.length, T0));
    header(buf, 0, NtpHeader.MODE_SYMMETRIC_ACTIVE, T0);
    assertTrue(p.seal(buf, 0, buf.length, T0) > NtpHeader.LENGTH); // its ASSOC request
  }
}
