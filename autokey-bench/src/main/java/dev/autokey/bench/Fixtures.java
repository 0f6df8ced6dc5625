package dev.autokey.bench;

import dev.autokey.core.keys.AddressPair;
import java.util.HexFormat;

/** Shared fixtures: the addresses and a packet of the reference lab's tc-client run. */
final class Fixtures {
  private Fixtures() {}

  static final AddressPair CLIENT_TO_SERVER_V4 =
      AddressPair.ofRaw(new byte[] {(byte) 192, 0, 2, 2}, new byte[] {(byte) 192, 0, 2, 1});
  static final AddressPair SERVER_TO_CLIENT_V4 = CLIENT_TO_SERVER_V4.reversed();
  static final AddressPair CLIENT_TO_SERVER_V6 = AddressPair.ofRaw(
      HexFormat.of().parseHex("fd770000000000000000000000000002"),
      HexFormat.of().parseHex("fd770000000000000000000000000001"));

  /** tc-client frame 12: a 48-byte server reply with its 20-byte MD5 MAC (key ID 1baf6011). */
  static byte[] tcClientFrame12() {
    return HexFormat.of().parseHex("240503e800000000000000007f0000010000000000000000eead58f79d108a16"
        + "eead58f79d145381eead58f79d1e9671" + "1baf6011" + "5019cc8b4df3c04fbca150e792e07241");
  }

  static final int COOKIE = 0xa39798e0;
  static final int KEY_ID = 0x1baf6011;
}
