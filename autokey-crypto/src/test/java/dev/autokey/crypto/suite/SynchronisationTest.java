package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The clock-synchronised condition is learnt by the engine from its own accepted samples (no call
 * a user must know to make), or reported by the caller under {@code Synchronisation.EXTERNAL}.
 */
class SynchronisationTest {
  private static final long T0 = NtpTime.ofUnixMillis(1_765_000_000_000L);

  private record Run(AutokeyHost client, Association assoc, int firstSamplePoll,
      boolean syncedBeforeFirstSample) {}

  private static Run run(AutokeyConfig clientConfig, int polls) throws Exception {
    SecureRandom random = new SecureRandom(new byte[] {7});
    long fs = NtpTime.seconds(T0) - 60;
    AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("server", fs, random).tcSuite(random), random,
        ProtocolEventListener.NONE);
    AutokeyHost client = AutokeyHost.create(clientConfig,
        EphemeralHosts.ordinary("client", fs, random).tcSuite(random), random,
        ProtocolEventListener.NONE);
    server.setSynchronised(true, T0);
    InetAddress sa = InetAddress.getByName("192.0.2.1");
    InetAddress ca = InetAddress.getByName("192.0.2.2");
    Association assoc = client.client(ca, sa, Optional.empty());
    long now = T0;
    int first = -1;
    boolean syncedBefore = false;
    for (int poll = 0; poll < polls; poll++, now += 16L << 32) {
      NtpHeader q = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(now).build();
      byte[] request = assoc.prepareTransmit(q, now);
      NtpHeader r = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
      byte[] reply = server.responder().respond(request, 0, request.length, ca, sa, now, r)
          .datagram();
      boolean syncedNow = client.isSynchronised();
      Verdict v = assoc.receive(reply, 0, reply.length, sa, ca, now);
      if (v.usableForTime() && first < 0) {
        first = poll;
        syncedBefore = syncedNow;
      }
    }
    return new Run(client, assoc, first, syncedBefore);
  }

  @Test
  void learntFromTheFirstAcceptedSample_allFlagsWithoutAnyCall() throws Exception {
    Run r = run(AutokeyConfig.defaults(), 12);
    assertTrue(r.firstSamplePoll() >= 0, "a sample was accepted");
    assertFalse(r.syncedBeforeFirstSample(), "not synchronised before the first sample");
    assertTrue(r.client().isSynchronised(), "synchronised after it");
    assertTrue(r.assoc().allFlags(), String.format("flags 0x%x", r.assoc().flags()));
  }

  @Test
  void external_samplesDoNotSynchronise_signWaitsForTheCaller() throws Exception {
    AutokeyConfig external = AutokeyConfig.builder()
        .synchronisation(AutokeyConfig.Synchronisation.EXTERNAL).build();
    Run r = run(external, 12);
    assertTrue(r.firstSamplePoll() >= 0, "samples are still accepted");
    assertFalse(r.client().isSynchronised());
    assertTrue(r.assoc().has(Flag.PROV) && r.assoc().has(Flag.COOK));
    assertFalse(r.assoc().has(Flag.SIGN), "a client asks for SIGN only once synchronised");
    assertEquals(AutokeyConfig.Synchronisation.EXTERNAL,
        external.toBuilder().build().synchronisation());
  }
}
