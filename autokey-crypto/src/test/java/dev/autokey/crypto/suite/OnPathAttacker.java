package dev.autokey.crypto.suite;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Gen;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyless on-path attacker of the adversarial engine suite. It sees every datagram, keeps
 * every extension field it has seen (signed or not, from any exchange, its own included), and
 * builds packets the way anyone can: a packet with extension fields, and every packet of an
 * association before COOK, is MAC'd with cookie 0, whose session key depends only on the
 * addresses and the key ID. It never knows a cookie, a private key or group key.
 *
 * <p>All choices come from the case's {@link Gen}, so a case is replayed by its seed.
 */
final class OnPathAttacker {
  private final Gen g;
  private final List<ExtensionField> seenFields = new ArrayList<>();
  private final List<byte[]> seenDatagrams = new ArrayList<>();
  /** Self-signed certificates the attacker made with its own key, for any names. */
  private final List<byte[]> ownCertificates;

  OnPathAttacker(Gen g, List<byte[]> ownCertificates) {
    this.g = g;
    this.ownCertificates = ownCertificates;
  }

  /** Records a datagram seen on the path (and its fields). */
  void see(byte[] datagram) {
    if (seenDatagrams.size() < 256) {
      seenDatagrams.add(datagram.clone());
    }
    try {
      for (ExtensionField f : PacketCodec.ntpd().decode(datagram).fields()) {
        if (seenFields.size() < 512) {
          seenFields.add(f);
        }
      }
    } catch (MalformedPacketException ex) {
      // not decodable: nothing to learn
    }
  }

  /** Records a field the attacker obtained otherwise (from its own requests to a server). */
  void learn(ExtensionField f) {
    seenFields.add(f);
  }

  int fieldsSeen() {
    return seenFields.size();
  }

  /** A datagram MAC'd with cookie 0 from {@code src} to {@code dst}. */
  static byte[] seal(InetAddress src, InetAddress dst, NtpHeader h, List<ExtensionField> fields,
      long keyId) {
    int ef = 0;
    for (ExtensionField x : fields) {
      ef += x.length();
    }
    byte[] out = new byte[NtpHeader.LENGTH + ef + 20];
    ByteBuffer b = ByteBuffer.wrap(out);
    h.writeTo(b);
    for (ExtensionField x : fields) {
      x.writeTo(b);
    }
    SessionKeyEngine.md5().computeMac(AddressPair.of(src, dst), (int) keyId, 0, out, 0,
        NtpHeader.LENGTH + ef);
    return out;
  }

  /** A crypto-NAK answering the transmission with transmit timestamp {@code origin}. */
  static byte[] cryptoNak(int mode, long origin) {
    byte[] nak = new byte[NtpHeader.LENGTH + 4];
    NtpHeader.builder().version(4).mode(mode).originTimestamp(origin).build()
        .writeTo(ByteBuffer.wrap(nak));
    return nak;
  }

  /** A reply header answering {@code origin} with a time of the attacker's choosing. */
  NtpHeader header(int mode, long origin, long now) {
    long t = g.bool() ? now + (g.u32() << 16) : g.anyLong();
    return NtpHeader.builder().leap(g.intBetween(0, 3) == 3 ? 3 : 0).version(4).mode(mode)
        .stratum(g.intBetween(1, 3)).poll(4).originTimestamp(origin).receiveTimestamp(t)
        .transmitTimestamp(t + g.intBetween(1, 1000)).build();
  }

  /**
   * One forged answer field, chosen among: a field seen before (any opcode, association ID kept
   * or rewritten), a seen field with a byte flipped, an error or short response of any opcode,
   * an ASSOC with a chosen name and status, a CERT response with one of the attacker's own
   * certificates.
   */
  ExtensionField forgedField(long victimAssoc, Opcode asked) {
    int pick = g.intBetween(0, 9);
    long assoc = g.intBetween(0, 3) == 0 ? g.intBetween(0, 0xFFFF) : victimAssoc;
    if (pick <= 3 && !seenFields.isEmpty()) {
      ExtensionField f = seenFields.get(g.intBetween(0, seenFields.size() - 1));
      return f.toBuilder().associationId(assoc).build();
    }
    if (pick <= 5 && !seenFields.isEmpty()) {
      ExtensionField f = seenFields.get(g.intBetween(0, seenFields.size() - 1));
      if (!f.isValueForm()) {
        return f.toBuilder().associationId(assoc).response(true).build();
      }
      byte[] value = f.value();
      byte[] sig = f.signature();
      ExtensionField.Builder b = f.toBuilder().associationId(assoc);
      switch (g.intBetween(0, 3)) {
        case 0:
          if (value.length > 0) {
            value[g.intBetween(0, value.length - 1)] ^= (byte) (1 << g.intBetween(0, 7));
          }
          return b.value(value).build();
        case 1:
          if (sig.length > 0) {
            sig[g.intBetween(0, sig.length - 1)] ^= (byte) (1 << g.intBetween(0, 7));
          }
          return b.signature(sig).build();
        case 2:
          return b.timestamp((f.timestamp() + g.intBetween(-100, 100_000)) & 0xFFFF_FFFFL)
              .build();
        default:
          return b.filestamp((f.filestamp() + g.intBetween(-100, 100_000)) & 0xFFFF_FFFFL)
              .build();
      }
    }
    Opcode op = asked != null && g.bool() ? asked : Opcode.valueOf(g.intBetween(1, 10));
    switch (pick) {
      case 6:
        return g.bool() ? AutokeyMessages.errorResponse(op, assoc)
            : AutokeyMessages.emptyResponse(op, assoc);
      case 7: {
        String[] names = {"", "\u0000server", "server", "server@grp", "client", "client@grp",
            "x".repeat(g.intBetween(1, 600)), "evil@grp", "\u0001\u0002"};
        byte[] name = names[g.intBetween(0, names.length - 1)]
            .getBytes(StandardCharsets.ISO_8859_1);
        if (name.length == 0 || name.length > 512) {
          name = new byte[] {'e'};
        }
        long status = g.bool() ? 0x00080000L | (g.u32() & 0xF0FFL) : g.u32();
        return AutokeyMessages.valueResponse(Opcode.ASSOC, assoc, g.u32(),
            HostStatus.of(status).word(), name, new byte[0]);
      }
      default: {
        byte[] der = ownCertificates.get(g.intBetween(0, ownCertificates.size() - 1));
        long ts = g.u32();
        return AutokeyMessages.certResponse(assoc, ts, Math.max(0, ts - g.intBetween(0, 100)), der,
            new byte[0]);
      }
    }
  }

  /** A datagram seen earlier, as it was. */
  byte[] replay() {
    return seenDatagrams.isEmpty() ? null
        : seenDatagrams.get(g.intBetween(0, seenDatagrams.size() - 1)).clone();
  }

  /** A decoded datagram's key ID, or 0. */
  static long keyId(byte[] datagram) {
    try {
      AutokeyPacket p = PacketCodec.ntpd().decode(datagram);
      return p.mac().map(m -> m.keyId()).orElse(0L);
    } catch (MalformedPacketException ex) {
      return 0;
    }
  }
}
