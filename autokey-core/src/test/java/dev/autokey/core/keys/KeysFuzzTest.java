package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;

/**
 * Hostile bytes into the MAC check and the AUTO value decoder: a result or the documented
 * exception, never anything else. Seeds are captured ntpd payloads.
 */
class KeysFuzzTest {
  private static final AddressPair ADDRESSES =
      AddressPair.ofRaw(new byte[] {(byte) 192, 0, 2, 1}, new byte[] {(byte) 192, 0, 2, 2});

  /** Byte 0 picks the MAC offset (48 + 4k, or anything), the rest is the packet. */
  @FuzzTest(maxDuration = "30s")
  void verifyMac(byte[] data) {
    if (data.length < 1) {
      return;
    }
    byte[] packet = java.util.Arrays.copyOfRange(data, 1, data.length);
    int selector = data[0] & 0xFF;
    int macOffset = selector < 128 ? 48 + 4 * selector : packet.length - (selector - 128);
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    if (macOffset < 0 || macOffset > packet.length) {
      try {
        md5.verifyMac(ADDRESSES, 0xa39798e0, packet, 0, packet.length, macOffset);
        throw new AssertionError("offset " + macOffset + " outside " + packet.length + " accepted");
      } catch (IndexOutOfBoundsException expected) {
        return;
      }
    }
    MacResult r = md5.verifyMac(ADDRESSES, 0xa39798e0, packet, 0, packet.length, macOffset);
    assertNotNull(r);
    if (r == MacResult.VALID) {
      // only a correctly MACed packet may verify: recompute and compare
      byte[] copy = packet.clone();
      md5.computeMac(ADDRESSES, KeyIds.readInt(packet, macOffset), 0xa39798e0, copy, 0, macOffset);
      assertEquals(java.util.HexFormat.of().formatHex(packet), java.util.HexFormat.of().formatHex(copy));
    }
  }

  @FuzzTest(maxDuration = "30s")
  void decodeAutokeyValues(byte[] data) {
    try {
      AutokeyValues v = AutokeyValues.decode(data);
      assertEquals(8, data.length);
      assertEquals(java.util.HexFormat.of().formatHex(data), java.util.HexFormat.of().formatHex(v.encode()));
    } catch (AutokeyException e) {
      assertEquals(XEvent.LEN, e.event());
    }
  }
}
