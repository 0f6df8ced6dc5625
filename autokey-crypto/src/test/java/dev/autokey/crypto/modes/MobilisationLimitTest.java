package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Mobilising packets can be forged (broadcasts and packets with fields use cookie 0 in their
 * MACs), so a host whose association table is full ({@link AutokeyHost#MAX_ASSOCIATIONS})
 * refuses further broadcast clients and passive peers quietly instead of throwing.
 */
class MobilisationLimitTest {

  @Test
  void fullAssociationTableRefusesMobilisationWithoutThrowing() throws Exception {
    AutokeyHost host = AutokeyHost.create(ModesFuzzTest.CONFIG, ModesFuzzTest.CLIENT_SUITE,
        ModesFixture.rng(9), ProtocolEventListener.NONE);
    byte[] assoc = ModesFuzzTest.ASSOC_BROADCAST;
    List<BroadcastClient> clients = new ArrayList<>();
    for (int i = 0; i < AutokeyHost.MAX_ASSOCIATIONS; i++) {
      clients.add(BroadcastClient.mobilise(host, ModesFuzzTest.CA, assoc, 0, assoc.length,
          ModesFuzzTest.SA, ModesFuzzTest.BA, ModesFuzzTest.T0, Optional.empty()).orElseThrow(
              () -> new AssertionError("mobilisation refused below the limit")));
    }
    assertTrue(BroadcastClient.mobilise(host, ModesFuzzTest.CA, assoc, 0, assoc.length,
        ModesFuzzTest.SA, ModesFuzzTest.BA, ModesFuzzTest.T0, Optional.empty()).isEmpty(),
        "the 4097th broadcast client");

    // a forged symmetric-active ASSOC request (cookie-0 MAC) meets the same full table
    ExtensionField f = AutokeyMessages.assoc(false, 1, 0, ModesFuzzTest.SERVER.status(),
        "intruder");
    byte[] q = new byte[NtpHeader.LENGTH + f.length() + 20];
    ByteBuffer b = ByteBuffer.wrap(q);
    NtpHeader.builder().version(4).mode(NtpHeader.MODE_SYMMETRIC_ACTIVE).poll(4)
        .transmitTimestamp(ModesFuzzTest.T0).build().writeTo(b);
    f.writeTo(b);
    dev.autokey.core.keys.SessionKeyEngine.md5().computeMac(
        dev.autokey.core.keys.AddressPair.of(ModesFuzzTest.SA, ModesFuzzTest.CA), 0x12345678, 0,
        q, 0, NtpHeader.LENGTH + f.length());
    assertTrue(SymmetricPeer.mobilisePassive(host, ModesFuzzTest.CA, q, 0, q.length,
        ModesFuzzTest.SA, ModesFuzzTest.CA, ModesFuzzTest.T0, Optional.empty()).isEmpty(),
        "passive peer on a full table");

    // room again after one is closed
    clients.remove(0).close();
    Optional<SymmetricPeer> p = SymmetricPeer.mobilisePassive(host, ModesFuzzTest.CA, q, 0,
        q.length, ModesFuzzTest.SA, ModesFuzzTest.CA, NtpTime.plusSeconds(ModesFuzzTest.T0, 1),
        Optional.empty());
    assertTrue(p.isPresent(), "passive peer once there is room");
    assertEquals(SymmetricPeer.class, p.get().getClass());
  }
}
