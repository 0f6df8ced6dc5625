package dev.autokey.core.wire;

import dev.autokey.testing.Gen;
import java.util.ArrayList;
import java.util.List;

/** Generators of wire values for the property tests. */
final class WireGen {
  private WireGen() {}

  static Opcode opcode(Gen g) {
    return g.chance(0.85) ? Opcode.valueOf(g.intBetween(0, 9)) : Opcode.valueOf(g.intBetween(10, 255));
  }

  static long u32(Gen g) {
    return g.u32();
  }

  /** Any field the decoder accepts: every opcode, both forms, canonical or not. */
  static ExtensionField field(Gen g, Opcode op, boolean valueForm, int maxValue) {
    ExtensionField.Builder b = ExtensionField.builder().opcode(op).associationId(u32(g));
    b.response(g.bool()).error(g.chance(0.2));
    b.version(g.chance(0.9) ? 2 : g.intBetween(0, 63));
    boolean canonical = g.chance(0.7);
    if (!valueForm) {
      if (!canonical) {
        b.trailer(g.bytes(4 * g.intBetween(0, 3)));
      }
      return b.build();
    }
    int vallen = g.intBetween(1, Math.max(1, maxValue));
    int siglen = g.chance(0.3) ? 0 : g.pickInt(64, 128, 63, 65, 1, 2, 3, g.intBetween(0, 256));
    b.valueForm(u32(g), u32(g), g.bytes(vallen), g.bytes(siglen));
    if (!canonical) {
      b.valuePadding(g.bytes((4 - vallen % 4) % 4));
      b.signaturePadding(g.bytes((4 - siglen % 4) % 4));
      if (g.bool()) {
        b.trailer(g.bytes(4 * g.intBetween(0, 8)));
      }
    }
    return b.build();
  }

  static ExtensionField field(Gen g) {
    return field(g, opcode(g), g.bool(), g.chance(0.1) ? 1500 : 80);
  }

  static NtpHeader header(Gen g) {
    return NtpHeader.of(g.bytes(NtpHeader.LENGTH));
  }

  static MacField mac(Gen g) {
    if (g.chance(0.1)) {
      return MacField.cryptoNak();
    }
    int d = g.chance(0.8) ? g.pickInt(16, 20) : 4 * g.intBetween(0, 5);
    return MacField.of(u32(g), g.bytes(d));
  }

  /** A packet the decoder accepts and decodes back to itself (at most 2120 bytes). */
  static AutokeyPacket packet(Gen g) {
    return packet(g, g.intBetween(0, 4), null, false);
  }

  static AutokeyPacket packet(Gen g, int nFields, Opcode op, boolean valueForm) {
    List<ExtensionField> fields = new ArrayList<>();
    int budget = DecodeLimits.MAX_DATAGRAM_LENGTH - NtpHeader.LENGTH - MacField.MAX_LENGTH;
    for (int i = 0; i < nFields; i++) {
      ExtensionField f = op == null ? field(g) : field(g, op, valueForm, g.chance(0.1) ? 1500 : 80);
      if (f.length() > budget) {
        continue;
      }
      budget -= f.length();
      fields.add(f);
    }
    MacField mac = g.chance(0.85) ? mac(g) : null;
    if (!fields.isEmpty()
        && fields.get(fields.size() - 1).length() + (mac == null ? 0 : mac.length()) <= 24) {
      // else the last field would be read back as part of the MAC, as ntpd reads it
      mac = MacField.of(u32(g), g.bytes(g.pickInt(16, 20)));
    }
    return AutokeyPacket.of(header(g), fields, mac);
  }
}
