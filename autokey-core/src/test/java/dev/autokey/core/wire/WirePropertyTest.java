package dev.autokey.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;


import dev.autokey.testing.PropertyCheck;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round-trip properties of the codec. */
class WirePropertyTest {
  private static final PacketCodec CODEC = PacketCodec.ntpd();

  @Test
  void decodeEncodeIsIdentityForGeneratedPackets() {
    PropertyCheck.forAll("decode(encode(p)) == p", g -> {
      AutokeyPacket p = WireGen.packet(g);
      byte[] b = CODEC.encode(p);
      assertEquals(p.encodedLength(), b.length);
      assertEquals(p, CODEC.decode(b));
      // encode into a caller buffer at an offset, little-endian order set by the caller
      ByteBuffer out = ByteBuffer.allocate(b.length + 10).order(ByteOrder.LITTLE_ENDIAN);
      out.position(4);
      assertEquals(b.length, CODEC.encode(p, out));
      assertEquals(4 + b.length, out.position());
      assertArrayEquals(b, Arrays.copyOfRange(out.array(), 4, 4 + b.length));
      out.flip().position(4);
      assertEquals(p, CODEC.decode(out));
      assertEquals(4, out.position(), "decode(ByteBuffer) leaves the position");
      assertEquals(p.macOffset(), NtpHeader.LENGTH
          + p.fields().stream().mapToInt(ExtensionField::length).sum());
      assertArrayEquals(Arrays.copyOf(b, p.macOffset()), p.macInput());
    });
  }

  @Test
  void decodeEncodeIsIdentityForEveryOpcodeAndBothForms() {
    List<Opcode> ops = new ArrayList<>();
    for (int i = 0; i <= 9; i++) {
      ops.add(Opcode.valueOf(i));
    }
    ops.add(Opcode.valueOf(10));
    ops.add(Opcode.valueOf(0xFF));
    for (Opcode op : ops) {
      for (boolean valueForm : new boolean[] {false, true}) {
        PropertyCheck.forAll("round trip " + op + (valueForm ? " value form" : " short form"),
            g -> {
              AutokeyPacket p = WireGen.packet(g, g.intBetween(1, 3), op, valueForm);
              AutokeyPacket q = CODEC.decode(CODEC.encode(p));
              assertEquals(p, q);
              for (ExtensionField f : q.fields()) {
                assertEquals(op, f.opcode());
                assertEquals(valueForm, f.isValueForm());
              }
            });
      }
    }
  }

  @Test
  void encodeDecodeIsIdentityForCanonicalBytesWrittenIndependently() {
    PropertyCheck.forAll("encode(decode(b)) == b, canonical b", g -> {
      RawBytes raw = RawBytes.clientPacket();
      List<long[]> expect = new ArrayList<>();
      List<byte[][]> expectBytes = new ArrayList<>();
      int n = g.intBetween(0, 3);
      for (int i = 0; i < n; i++) {
        int op = g.intBetween(0, 12);
        int flags = g.pickInt(0x02, 0x82, 0xC2);
        long assoc = g.u32();
        if (g.bool()) {
          raw.word(((long) ((flags << 8) | op) << 16) | 8).word(assoc);
          expect.add(new long[] {flags, op, assoc, 8});
          expectBytes.add(null);
        } else {
          byte[] v = g.bytes(1, 300);
          byte[] s = g.bytes(0, 130);
          long ts = g.u32();
          long fs = g.u32();
          raw.valueField((flags << 8) | op, assoc, ts, fs, v, s);
          expect.add(new long[] {flags, op, assoc, 24 + ((v.length + 3) & ~3) + ((s.length + 3) & ~3), ts, fs});
          expectBytes.add(new byte[][] {v, s});
        }
      }
      raw.mac20();
      byte[] b = raw.toByteArray();
      AutokeyPacket p = CODEC.decode(b);
      assertArrayEquals(b, CODEC.encode(p));
      assertEquals(n, p.fields().size());
      for (int i = 0; i < n; i++) {
        ExtensionField f = p.fields().get(i);
        long[] e = expect.get(i);
        assertEquals(e[0] & 0x80, f.isResponse() ? 0x80 : 0);
        assertEquals(e[0] & 0x40, f.isError() ? 0x40 : 0);
        assertEquals(2, f.version());
        assertEquals(e[1], f.opcode().code());
        assertEquals(e[2], f.associationId());
        assertEquals(e[3], f.length());
        assertTrue(f.isCanonical());
        if (expectBytes.get(i) != null) {
          assertEquals(e[4], f.timestamp());
          assertEquals(e[5], f.filestamp());
          assertArrayEquals(expectBytes.get(i)[0], f.value());
          assertArrayEquals(expectBytes.get(i)[1], f.signature());
          byte[] signed = f.signedBytes();
          assertEquals(12 + f.valueLength(), signed.length);
          int at = NtpHeader.LENGTH + p.fields().subList(0, i).stream()
              .mapToInt(ExtensionField::length).sum() + 8;
          assertArrayEquals(Arrays.copyOfRange(b, at, at + signed.length), signed,
              "signed bytes = ts|fs|vallen|value as on the wire");
        }
      }
      assertEquals(0x4902c795L, p.mac().get().keyId());
    });
  }

  @Test
  void canonicalOfNonCanonicalFieldDropsOnlyPaddingAndTrailer() {
    PropertyCheck.forAll("canonical()", g -> {
      ExtensionField f = WireGen.field(g);
      ExtensionField c = f.canonical();
      assertTrue(c.isCanonical());
      assertEquals(f.opcode(), c.opcode());
      assertEquals(f.associationId(), c.associationId());
      assertArrayEquals(f.value(), c.value());
      assertArrayEquals(f.signature(), c.signature());
      assertEquals(f.isCanonical(), f.equals(c));
      if (f.isValueForm()) {
        assertArrayEquals(f.signedBytes(), c.signedBytes());
      }
    });
  }

  @Test
  void typedFactoriesRoundTripThroughTheirAccessors() {
    PropertyCheck.forAll("typed factories", g -> {
      long assoc = g.u32();
      long ts = g.u32();
      long fs = g.u32();
      byte[] sig = g.bytes(0, 128);
      String name = new String(g.bytes(1, 40), java.nio.charset.StandardCharsets.ISO_8859_1)
          .replace('\0', 'x');
      HostStatus st = HostStatus.of(g.u32());
      ExtensionField assoc1 = roundTrip(AutokeyMessages.assoc(g.bool(), assoc, ts, st, name));
      assertEquals(name, assoc1.assocHostName());
      assertEquals(st, assoc1.assocStatus());
      assertEquals(0, assoc1.signatureLength());
      assertEquals(name, roundTrip(AutokeyMessages.certRequest(assoc, ts, fs, name))
          .certSubjectName());
      byte[] der = g.bytes(1, 700);
      assertArrayEquals(der, roundTrip(AutokeyMessages.certResponse(assoc, ts, fs, der, sig))
          .certificateDer());
      assertArrayEquals(der, roundTrip(AutokeyMessages.signRequest(assoc, ts, fs, der, sig))
          .certificateDer());
      assertArrayEquals(der, roundTrip(AutokeyMessages.signResponse(assoc, ts, fs, der, sig))
          .certificateDer());
      assertArrayEquals(der, roundTrip(AutokeyMessages.cookRequest(assoc, ts, fs, der, sig))
          .cookiePublicKeyDer());
      assertArrayEquals(der, roundTrip(AutokeyMessages.cookResponse(assoc, ts, fs, der, sig))
          .cookieCiphertext());
      AutoValues av = new AutoValues(g.u32(), g.intBetween(0, 100));
      ExtensionField auto = roundTrip(AutokeyMessages.autoResponse(assoc, ts, fs, av, sig));
      assertEquals(av, auto.autoValues());
      assertEquals(8, roundTrip(AutokeyMessages.autoRequest(assoc)).length());
      LeapValues lv = new LeapValues(g.u32(), g.u32(), g.u32());
      assertEquals(lv, roundTrip(AutokeyMessages.leapResponse(assoc, ts, fs, lv, sig))
          .leapValues());
      assertEquals(8, roundTrip(AutokeyMessages.leapRequest(assoc)).length());
      Opcode scheme = Opcode.valueOf(g.intBetween(7, 9));
      assertArrayEquals(der, roundTrip(AutokeyMessages.identityRequest(scheme, assoc, ts, fs, der,
          sig)).identityValue());
      ExtensionField idr = roundTrip(AutokeyMessages.identityResponse(scheme, assoc, ts, fs, der,
          sig));
      assertTrue(idr.isResponse());
      assertArrayEquals(der, idr.identityValue());
      ExtensionField resigned = idr.withSignature(g.bytes(64));
      assertArrayEquals(idr.signedBytes(), resigned.signedBytes(), "signature not covered");
      assertEquals(0xC2000008 | (scheme.code() << 16),
          roundTrip(AutokeyMessages.errorResponse(scheme, assoc)).headerWord());
    });
  }

  private static ExtensionField roundTrip(ExtensionField f) throws MalformedPacketException {
    MacField mac = MacField.of(0x10000, new byte[16]);
    AutokeyPacket p = AutokeyPacket.of(NtpHeader.builder().mode(3).build(), List.of(f), mac);
    AutokeyPacket q = CODEC.decode(CODEC.encode(p));
    assertEquals(p, q);
    assertArrayEquals(f.toByteArray(), q.fields().get(0).toByteArray());
    return q.fields().get(0);
  }

  @Test
  void headerBuilderAndViewAgree() {
    PropertyCheck.forAll("NtpHeader builder/view", g -> {
      int li = g.intBetween(0, 3);
      int vn = g.intBetween(0, 7);
      int mode = g.intBetween(0, 7);
      int stratum = g.intBetween(0, 255);
      int poll = g.intBetween(-128, 127);
      int prec = g.intBetween(-128, 127);
      long rd = g.u32();
      long rdisp = g.u32();
      long ref = g.u32();
      long[] ts = {g.anyLong(), g.anyLong(), g.anyLong(), g.anyLong()};
      NtpHeader.Builder b = NtpHeader.builder().leap(li).version(vn).mode(mode).stratum(stratum)
          .poll(poll).precision(prec).rootDelay(rd).rootDispersion(rdisp).referenceId(ref)
          .referenceTimestamp(ts[0]).originTimestamp(ts[1]).receiveTimestamp(ts[2])
          .transmitTimestamp(ts[3]);
      byte[] buf = new byte[60];
      ByteBuffer out = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
      out.position(7);
      b.writeTo(out);
      assertEquals(55, out.position());
      NtpHeader v = NtpHeader.view(buf, 7);
      assertEquals(li, v.leap());
      assertEquals(vn, v.version());
      assertEquals(mode, v.mode());
      assertEquals(stratum, v.stratum());
      assertEquals(poll, v.poll());
      assertEquals(prec, v.precision());
      assertEquals(rd, v.rootDelay());
      assertEquals(rdisp, v.rootDispersion());
      assertEquals(ref, v.referenceId());
      assertEquals(ts[0], v.referenceTimestamp());
      assertEquals(ts[1], v.originTimestamp());
      assertEquals(ts[2], v.receiveTimestamp());
      assertEquals(ts[3], v.transmitTimestamp());
      NtpHeader snap = v.copy();
      assertEquals(b.build(), snap);
      assertEquals(snap, v.toBuilder().build());
      assertTrue(snap.isSnapshot());
      buf[7] ^= 1; // the view sees the change, the snapshot does not
      assertEquals(mode ^ 1, v.mode());
      assertEquals(mode, snap.mode());
      ByteBuffer bb = ByteBuffer.wrap(buf);
      bb.position(7);
      assertEquals(v, NtpHeader.view(bb));
      assertEquals(7, bb.position());
    });
  }

  @Test
  void packetsWhoseTailWouldReadBackAsMacAreRefused() {
    PropertyCheck.forAll("unencodable tail", g -> {
      ExtensionField f = ExtensionField.builder().opcode(WireGen.opcode(g))
          .trailer(g.bytes(4 * g.intBetween(0, 3))).build();
      int room = 24 - f.length();
      MacField mac = room >= 4 ? MacField.of(g.u32(), g.bytes(4 * g.intBetween(0, (room - 4) / 4)))
          : null;
      if (g.bool()) {
        mac = null;
      }
      MacField m = mac;
      assertThrows(IllegalArgumentException.class,
          () -> AutokeyPacket.of(WireGen.header(g), List.of(f), m));
    });
  }

  @Test
  void encodeIntoTooSmallBufferWritesNothing() {
    PropertyCheck.forAll("encode overflow", g -> {
      AutokeyPacket p = WireGen.packet(g);
      ByteBuffer out = ByteBuffer.allocate(p.encodedLength() - 1);
      assertThrows(BufferOverflowException.class, () -> CODEC.encode(p, out));
      assertEquals(0, out.position());
      for (byte x : out.array()) {
        if (x != 0) {
          fail("bytes written before overflow");
        }
      }
    });
  }

}
