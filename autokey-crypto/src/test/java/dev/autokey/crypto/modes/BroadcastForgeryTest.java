package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.LinkProfile;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md T35 for our broadcast client: broadcast MACs use cookie 0, so anyone can compute a
 * valid MAC for any key ID; only the key-ID hash chain protects the client. A forged broadcast
 * with a correct MAC but a key ID not on the server's chain is rejected ({@code BAD_KEY_ID}) after
 * at most seq + 1 ≤ 100 chain hashes, is not a time sample, clears AUTO, and the client fetches
 * fresh values by unicast and goes back to accepting the real broadcasts.
 */
class BroadcastForgeryTest {
  @Test
  void forgedKeyIdNotOnTheChainIsRejectedAndTheClientRecovers() throws Exception {
    var s = BroadcastModeTest.tc("4", LinkProfile.perfect(), 95);
    assertTrue(s.net().runUntil(() -> !s.client().bclients.isEmpty()
        && BroadcastModeTest.only(s.client()).isReceivingBroadcasts(), 3600));
    s.net().runFor(300);
    BroadcastClient bc = BroadcastModeTest.only(s.client());
    assertFalse(bc.wantsToTransmit());
    long now = s.net().now() + (1L << 31);
    // an off-path forger: a bare broadcast header with a valid cookie-0 MAC under a fresh key ID
    // and a transmit timestamp a year ahead (it must not block the real, older broadcasts)
    NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST).stratum(1)
        .poll(4).transmitTimestamp(NtpTime.plusSeconds(now, 365L * 86400)).build();
    SessionKeyEngine e = SessionKeyEngine.md5();
    byte[] pkt = new byte[NtpHeader.LENGTH + e.macLength()];
    h.writeTo(ByteBuffer.wrap(pkt));
    int forgedKeyId = 0x7A5E_0001;
    e.computeMac(AddressPair.of(bc.server(), bc.broadcastAddress()), forgedKeyId, 0, pkt, 0,
        NtpHeader.LENGTH);
    Verdict v = bc.receive(pkt, 0, pkt.length, bc.server(), bc.broadcastAddress(), now);
    assertEquals(Verdict.Kind.REJECTED, v.kind(), v.toString());
    assertEquals(Verdict.Cause.BAD_KEY_ID, v.cause());
    assertFalse(v.usableForTime());
    assertFalse(bc.association().has(Flag.AUTO), "AUTO cleared");
    assertTrue(bc.wantsToTransmit(), "fresh AUTO values requested by unicast");
    // a wrong MAC under the same key ID does not even reach the chain check
    byte[] bad = Arrays.copyOf(pkt, pkt.length);
    bad[bad.length - 1] ^= 1;
    assertEquals(Verdict.Cause.BAD_MAC,
        bc.receive(bad, 0, bad.length, bc.server(), bc.broadcastAddress(), now + 1).cause());
    long before = bc.broadcastsAccepted();
    assertTrue(s.net().runUntil(() -> bc.association().has(Flag.AUTO) && !bc.wantsToTransmit(),
        600), "AUTO fetched again");
    s.net().runFor(320);
    assertTrue(bc.broadcastsAccepted() - before >= 15,
        "real broadcasts accepted again: " + (bc.broadcastsAccepted() - before));
    assertTrue(NtpTime.seconds(s.net().now()) > 0);
  }
}
