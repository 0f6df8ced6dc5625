package dev.autokey.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.wire.MalformedPacketException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Codec-level entries of docs/security.md's test list (T01-T08, T26, T27, T30, T31, T39) and the items
 * of docs/protocol.md §13.3 that concern the codec, each asserting the typed error and its XEVNT code.
 * T09 (signature length = key size) needs the peer's key, so the signature verifier checks it
 * ({@code ProtocolCryptoTest}, {@code BadServerEngineTest} in autokey-crypto).
 */
class WireBadInputTest {
  private static final PacketCodec CODEC = PacketCodec.ntpd();
  private static final byte[] NAME = "client".getBytes(StandardCharsets.US_ASCII);

  private static MalformedPacketException rejects(XEvent event, Reason reason, Executable e) {
    MalformedPacketException x = assertThrows(MalformedPacketException.class, e);
    assertEquals(event, x.event(), x.getMessage());
    assertEquals(reason, x.reason(), x.getMessage());
    assertTrue(x.getMessage().startsWith(event.ntpdName() + ": "), x.getMessage());
    return x;
  }

  private static MalformedPacketException rejects(XEvent event, Reason reason, byte[] datagram) {
    return rejects(event, reason, () -> CODEC.decode(datagram));
  }

  private static byte[] assocRequest() {
    return RawBytes.clientPacket().valueField(0x0201, 18382, 0, 0x00080001L, NAME, new byte[0])
        .mac20().toByteArray();
  }

  // ------------------------------------------------------------------ docs/security.md T01 - T08

  @Test
  void t01_fieldLengthBeyondDatagramDropsWholePacketBeforeAnyFieldIsProcessed() {
    // EF declares 0x0400 but only 28 bytes + MAC follow the header.
    byte[] d = RawBytes.clientPacket().words(0x02020400L, 18382, 0, 0, 4, 0x41414141L, 0)
        .mac20().toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.FIELD_BEYOND_DATAGRAM, d);
    assertEquals(0x400, x.value());
    assertEquals(48, x.limit());
    assertEquals(48, x.fieldOffset());
    assertEquals(0, x.fieldIndex());
    // A bad second field also drops the packet although the first one (vallen 0) is
    // malformed in a way only the second pass sees: the first pass runs over every field first.
    byte[] two = RawBytes.clientPacket().words(0x82020018L, 1, 2, 3, 0, 0)
        .words(0x02050400L, 18382).zeros(20).mac20().toByteArray();
    rejects(XEvent.LEN, Reason.FIELD_BEYOND_DATAGRAM, two);
  }

  @Test
  void t02_fieldLengthNotMultipleOf4() {
    byte[] d = RawBytes.clientPacket().words(0x0202001EL, 18382).zeros(24).mac20().toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.FIELD_LENGTH_NOT_ALIGNED, d);
    assertEquals(0x1E, x.value());
  }

  @Test
  void t03_fieldLengthZeroOrFourTerminates() {
    byte[] zero = RawBytes.clientPacket().words(0x02020000L, 18382).zeros(24).mac20()
        .toByteArray();
    assertEquals(0, rejects(XEvent.LEN, Reason.FIELD_TOO_SHORT, zero).value());
    // Length 4 passes ntpd's first pass; its second pass flags fields shorter than 8 as errors.
    byte[] four = RawBytes.clientPacket().words(0x02020004L).words(0x02050008L, 18382)
        .mac20().toByteArray();
    MalformedPacketException x = rejects(XEvent.ERR, Reason.FIELD_TOO_SHORT, four);
    assertEquals(4, x.value());
    assertEquals(8, x.limit());
  }

  @Test
  void t04_bytesAfterHeaderNeitherFieldNorMac() throws Exception {
    for (int n : new int[] {1, 2, 3, 6, 22, 26, 30}) {
      byte[] d = RawBytes.clientPacket().zeros(n).toByteArray();
      assertEquals(n, rejects(XEvent.LEN, Reason.BAD_REMAINDER, d).value(), "remainder " + n);
    }
    // 12 bytes: ntpd's parser takes it as a MAC (key ID + 8 bytes) that never verifies; an ntpd
    // server answers it with a crypto-NAK (§13.3 S19). The codec exposes it as such.
    AutokeyPacket p = decodeOk(RawBytes.clientPacket().word(0x4902c795L).zeros(8).toByteArray());
    MacField mac = p.mac().orElseThrow();
    assertEquals(8, mac.digestLength());
    assertFalse(mac.hasStandardDigestLength());
    assertFalse(p.isCryptoNak());
  }

  @Test
  void t05_valueFormWithZeroValueLength() {
    byte[] d = RawBytes.clientPacket().words(0x82050018L, 18382, 0xeead58d4L, 0xeead58cbL, 0, 0)
        .mac20().toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.VALUE_LENGTH_ZERO, d);
    assertEquals(0x82050018L, x.fieldHeaderWord());
    assertEquals(18382, x.fieldAssociationId());
  }

  @Test
  void t06_valueLengthOneBeyondTheField() {
    // 32-byte field: room for 8 value bytes; vallen 9.
    byte[] d = RawBytes.clientPacket().words(0x82050020L, 18382, 1, 1, 9).zeros(12).mac20()
        .toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, d);
    assertEquals(9, x.value());
    assertEquals(8, x.limit());
  }

  @Test
  void t07_hugeValueLengthsNoSignOrRoundingOverflow() {
    for (long vallen : new long[] {0xFFFFFFFFL, 0x80000000L, 0xFFFFFFFDL, 0x7FFFFFFFL}) {
      byte[] d = RawBytes.clientPacket().words(0x82050020L, 18382, 1, 1, vallen).zeros(12)
          .mac20().toByteArray();
      MalformedPacketException x = rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, d);
      assertEquals(vallen, x.value(), "reported unsigned");
    }
  }

  @Test
  void t08_signatureLengthWrappingWhenPadded() {
    for (long siglen : new long[] {0xFFFFFFFCL, 0xFFFFFFFDL, 0xFFFFFFFFL, 0x80000000L}) {
      byte[] d = RawBytes.clientPacket().words(0x82050028L, 18382, 1, 1, 12, 0, 0, 0, siglen)
          .zeros(4).mac20().toByteArray();
      MalformedPacketException x = rejects(XEvent.LEN, Reason.SIGNATURE_TOO_LONG, d);
      assertEquals(siglen, x.value());
      assertEquals(65511, x.limit());
    }
    // Below MAX_VALLEN but not fitting after the value: 4 bytes of room, siglen 5 (P = 8).
    byte[] d = RawBytes.clientPacket().words(0x82050028L, 18382, 1, 1, 12, 0, 0, 0, 5)
        .zeros(4).mac20().toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.SIGNATURE_LENGTH_OVERRUN, d);
    assertEquals(5, x.value());
    assertEquals(4, x.limit());
  }

  // ------------------------------------------------------------------ T26, T27, T30, T31, T39

  @Test
  void t26_autoResponseValueLengthAndSequence() throws Exception {
    for (int vallen : new int[] {4, 12}) {
      ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8204, 26979, 2, 1,
          new byte[vallen], new byte[64]).mac20().toByteArray()).fields().get(0);
      MalformedPacketException x = rejects(XEvent.LEN, Reason.BAD_VALUE_LENGTH, f::autoValues);
      assertEquals(vallen, x.value());
      assertEquals(8, x.limit());
    }
    byte[] seq101 = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 101};
    ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8204, 26979, 2, 1, seq101,
        new byte[64]).mac20().toByteArray()).fields().get(0);
    MalformedPacketException x = rejects(XEvent.LEN, Reason.BAD_VALUE, f::autoValues);
    assertEquals(101, x.value());
    assertEquals(100, x.limit());
    byte[] seq100 = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 100};
    ExtensionField g = decodeOk(RawBytes.clientPacket().valueField(0x8204, 26979, 2, 1, seq100,
        new byte[64]).mac20().toByteArray()).fields().get(0);
    assertEquals(new AutoValues(0x12345678L, 100), g.autoValues());
    // short-form AUTO response: crypto_verify's length check.
    ExtensionField s = AutokeyMessages.emptyResponse(Opcode.AUTO, 26979);
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM, s::autoValues);
  }

  @Test
  void t27_leapResponseValueLengthAndImplausibleOffset() throws Exception {
    for (int vallen : new int[] {4, 8, 16}) {
      ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8205, 18382, 2, 1,
          new byte[vallen], new byte[64]).mac20().toByteArray()).fields().get(0);
      MalformedPacketException x = rejects(XEvent.LEN, Reason.BAD_VALUE_LENGTH, f::leapValues);
      assertEquals(vallen, x.value());
      assertEquals(12, x.limit());
    }
    for (long tai : new long[] {0xFFFFFFFFL, 0x80000000L, 5000, 9, 1}) {
      byte[] v = new LeapValues(tai, 0xdc12c500L, 0xdc33ba80L).toBytes();
      ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8205, 18382, 2, 1, v,
          new byte[64]).mac20().toByteArray()).fields().get(0);
      assertEquals(tai, f.leapValues().taiOffset(), "unsigned, never negative");
      assertFalse(f.leapValues().hasPlausibleTaiOffset(), "TAI offset " + tai);
    }
    assertTrue(new LeapValues(0, 0, 0).hasPlausibleTaiOffset());
    assertTrue(new LeapValues(0, 0, 0).isEmpty());
  }

  @Test
  void t30_versionUnknownOpcodeOrErrorBitDecodeAndAreProtocolErrors() throws Exception {
    // version 3 ASSOC response
    AutokeyPacket v3 = decodeOk(RawBytes.clientPacket().valueField(0x8301, 18382, 1,
        0x00080003L, NAME, new byte[0]).mac20().toByteArray());
    ExtensionField f3 = v3.fields().get(0);
    assertEquals(3, f3.version());
    assertTrue(PacketChecks.isProtocolError(f3));
    // unknown opcode 10 and 255
    for (int op : new int[] {10, 0xFF}) {
      ExtensionField f = decodeOk(RawBytes.clientPacket().words(0x82000008L | (op << 16), 7)
          .mac20().toByteArray()).fields().get(0);
      assertFalse(f.opcode().isKnown());
      assertEquals(op, f.opcode().code());
      assertTrue(PacketChecks.isProtocolError(f));
    }
    // E bit (C8), NULL opcode
    ExtensionField e = decodeOk(RawBytes.clientPacket().words(0xC2010008L, 18382).mac20()
        .toByteArray()).fields().get(0);
    assertTrue(e.isError() && e.isResponse());
    assertTrue(PacketChecks.isProtocolError(e));
    assertTrue(PacketChecks.isProtocolError(AutokeyMessages.shortRequest(Opcode.NULL, 1)));
    assertFalse(PacketChecks.isProtocolError(WireGoldenTest.field("tc-client", 2)));
  }

  @Test
  void t31_cryptoNakVariants() throws Exception {
    AutokeyPacket nak = decodeOk(RawBytes.clientPacket().word(0).toByteArray());
    assertTrue(nak.isCryptoNak());
    assertEquals(52, CODEC.encode(nak).length);
    assertEquals(48, nak.macOffset());
    assertEquals(AutokeyPacket.cryptoNak(nak.header()), nak);
    // (d) key ID != 0: a (bad) 4-byte MAC, not a NAK
    AutokeyPacket notNak = decodeOk(RawBytes.clientPacket().word(0x4902c795L).toByteArray());
    assertFalse(notNak.isCryptoNak());
    assertEquals(0x4902c795L, notNak.mac().get().keyId());
    assertFalse(notNak.mac().get().hasStandardDigestLength());
    // zero word after an extension field: ntpd's NAK test wants exactly 48 + 4 bytes
    AutokeyPacket afterField = decodeOk(RawBytes.clientPacket().valueField(0x0201, 1, 0, 1,
        NAME, new byte[0]).word(0).toByteArray());
    assertTrue(afterField.mac().get().isCryptoNakWord());
    assertFalse(afterField.isCryptoNak());
    // zero key ID with a digest: not a NAK either
    assertFalse(decodeOk(RawBytes.clientPacket().word(0).zeros(16).toByteArray()).isCryptoNak());
  }

  @Test
  void t39_datagramOrFieldsBeyondTheCaps() throws Exception {
    // 2121 bytes whose first field is garbage: rejected for its size before any field is parsed.
    byte[] big = RawBytes.clientPacket().word(0x0202001EL).zeros(2121 - 52).toByteArray();
    assertEquals(2121, big.length);
    MalformedPacketException x = rejects(XEvent.LEN, Reason.DATAGRAM_TOO_LONG, big);
    assertEquals(2121, x.value());
    assertEquals(2120, x.limit());
    rejects(XEvent.LEN, Reason.DATAGRAM_TOO_LONG,
        () -> CODEC.decode(ByteBuffer.wrap(new byte[65507])));
    // exactly 2120 bytes: header + one 2052-byte CERT response + MAC
    byte[] ok = RawBytes.clientPacket().valueField(0x8202, 1, 2, 1, new byte[1900],
        new byte[128]).mac20().toByteArray();
    assertEquals(2120, ok.length);
    assertEquals(2052, decodeOk(ok).fields().get(0).length());
    // caller-lowered caps
    byte[] cert = WireGoldenTest.packetBytes("tc-client", 4); // 424-byte CERT response
    PacketCodec small = PacketCodec.withLimits(DecodeLimits.builder().maxFieldLength(400).build());
    x = rejects(XEvent.LEN, Reason.FIELD_TOO_LONG, () -> small.decode(cert));
    assertEquals(424, x.value());
    assertEquals(400, x.limit());
    PacketCodec shortDatagrams = PacketCodec.withLimits(
        DecodeLimits.builder().maxDatagramLength(1000).build());
    assertEquals(492, shortDatagrams.decode(cert).encodedLength());
    assertEquals(1000, rejects(XEvent.LEN, Reason.DATAGRAM_TOO_LONG,
        () -> shortDatagrams.decode(ok)).limit());
    PacketCodec oneField = PacketCodec.withLimits(DecodeLimits.builder().maxFields(1).build());
    byte[] twoFields = RawBytes.clientPacket().words(0x02050008L, 1, 0x02040008L, 1).mac20()
        .toByteArray();
    assertEquals(2, CODEC.decode(twoFields).fields().size());
    x = rejects(XEvent.LEN, Reason.TOO_MANY_FIELDS, () -> oneField.decode(twoFields));
    assertEquals(2, x.value());
    assertEquals(1, x.limit());
    PacketCodec smallValues = PacketCodec.withLimits(
        DecodeLimits.builder().maxValueLength(300).maxSignatureLength(32).build());
    assertEquals(300, rejects(XEvent.LEN, Reason.VALUE_TOO_LONG,
        () -> smallValues.decode(cert)).limit());
    assertEquals(32, rejects(XEvent.LEN, Reason.SIGNATURE_TOO_LONG,
        () -> smallValues.decode(WireGoldenTest.packetBytes("tc-client", 10))).limit());
    // limits can only be lowered
    assertThrows(IllegalArgumentException.class,
        () -> DecodeLimits.builder().maxDatagramLength(2121));
    assertThrows(IllegalArgumentException.class,
        () -> DecodeLimits.builder().maxFieldLength(2073));
    assertThrows(IllegalArgumentException.class,
        () -> DecodeLimits.builder().maxValueLength(65512));
    assertThrows(IllegalArgumentException.class,
        () -> DecodeLimits.builder().maxFields(DecodeLimits.MAX_FIELDS + 1));
  }

  @Test
  void datagramShorterThanHeader() {
    for (int n : new int[] {0, 1, 47}) {
      MalformedPacketException x = rejects(XEvent.LEN, Reason.DATAGRAM_TOO_SHORT, new byte[n]);
      assertEquals(n, x.value());
      assertEquals(48, x.limit());
    }
  }

  // ------------------------------------------------------------------ docs/protocol.md §13.3 server

  @Test
  void s1_validAssocRequestDecodes() throws Exception {
    AutokeyPacket p = decodeOk(assocRequest());
    assertEquals("client", p.fields().get(0).assocHostName());
    assertEquals(32, p.fields().get(0).length());
  }

  @Test
  void s3_s4_s5_certRequestNameLengthGivesFieldContextForTheErrorReply() throws Exception {
    // S3: vallen 0x100 > field
    byte[] s3 = RawBytes.clientPacket().words(0x02020020L, 18382, 1, 1, 0x100).zeros(12).mac20()
        .toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, s3);
    assertEquals(2, x.fieldOpcode());
    ExtensionField reply = AutokeyMessages.errorResponse(Opcode.valueOf(x.fieldOpcode()),
        x.fieldAssociationId());
    assertEquals(0xC2020008, reply.headerWord());
    assertArrayEquals(new byte[] {(byte) 0xC2, 2, 0, 8, 0, 0, 0x47, (byte) 0xCE},
        reply.toByteArray());
    assertEquals(reply, x.fieldErrorResponse().orElseThrow());
    // version 3 is echoed, as ntpd does (S10)
    byte[] v3 = RawBytes.clientPacket().words(0x03020020L, 18382, 1, 1, 0x100).zeros(12).mac20()
        .toByteArray();
    assertEquals(0xC3020008, rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, v3)
        .fieldErrorResponse().orElseThrow().headerWord());
    assertTrue(rejects(XEvent.LEN, Reason.DATAGRAM_TOO_SHORT, new byte[10])
        .fieldErrorResponse().isEmpty());
    // S4: vallen 0
    byte[] s4 = RawBytes.clientPacket().words(0x02020018L, 18382, 1, 1, 0, 0).mac20()
        .toByteArray();
    assertEquals(2, rejects(XEvent.LEN, Reason.VALUE_LENGTH_ZERO, s4).fieldOpcode());
    // S5: 8-byte CERT request: decodes, but has no name
    ExtensionField s5 = decodeOk(RawBytes.clientPacket().words(0x02020008L, 18382).mac20()
        .toByteArray()).fields().get(0);
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM, s5::certSubjectName);
    // T23-style: a 513-byte subject name
    ExtensionField longName = AutokeyMessages.certRequest(1, 2, 1, "x".repeat(513));
    assertEquals(513, rejects(XEvent.LEN, Reason.NAME_LENGTH, longName::certSubjectName).value());
    assertEquals(512, AutokeyMessages.certRequest(1, 2, 1, "x".repeat(512)).certSubjectName()
        .length());
  }

  @Test
  void s2_s6_emptyAndErrorResponsesEncodeAsNtpdSendsThem() {
    assertEquals(0x82020008, AutokeyMessages.emptyResponse(Opcode.CERT, 1).headerWord());
    assertEquals(0xC2040008, AutokeyMessages.errorResponse(Opcode.AUTO, 1).headerWord());
  }

  @Test
  void s8_s9_s10_nullUnknownAndForeignVersionRequestsAreKeptForTheErrorReply() throws Exception {
    ExtensionField nul = decodeOk(RawBytes.clientPacket().words(0x02000008L, 5).mac20()
        .toByteArray()).fields().get(0);
    assertEquals(Opcode.NULL, nul.opcode());
    assertEquals(0xC2000008, AutokeyMessages.errorResponse(nul.opcode(), 5).headerWord());
    ExtensionField op10 = decodeOk(RawBytes.clientPacket().words(0x020A0008L, 5).mac20()
        .toByteArray()).fields().get(0);
    assertEquals(0xC20A0008, AutokeyMessages.errorResponse(op10.opcode(), 5).headerWord());
    ExtensionField v3 = decodeOk(RawBytes.clientPacket().valueField(0x0302, 5, 1, 1, NAME,
        new byte[0]).mac20().toByteArray()).fields().get(0);
    assertEquals(3, v3.version());
    ExtensionField echo = ExtensionField.builder().opcode(v3.opcode()).version(v3.version())
        .response(true).error(true).associationId(v3.associationId()).build();
    assertEquals(0xC3020008, echo.headerWord());
  }

  @Test
  void s12_cookRequestValueLengthBeyondField() {
    byte[] d = RawBytes.clientPacket().words(0x02030024L, 18382, 1, 1, 74).zeros(16).mac20()
        .toByteArray();
    MalformedPacketException x = rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, d);
    assertEquals(3, x.fieldOpcode());
    assertEquals(74, x.value());
    assertEquals(12, x.limit());
  }

  @Test
  void s15_s16_twoFieldsInOrderAndRequestWithRBit() throws Exception {
    byte[] d = RawBytes.clientPacket().valueField(0x0202, 18382, 1, 1, NAME, new byte[0])
        .words(0x02050008L, 18382).mac20().toByteArray();
    List<ExtensionField> f = decodeOk(d).fields();
    assertEquals(List.of(Opcode.CERT, Opcode.LEAP), List.of(f.get(0).opcode(), f.get(1).opcode()));
    ExtensionField r = decodeOk(RawBytes.clientPacket().valueField(0x8202, 18382, 1, 1, NAME,
        new byte[0]).mac20().toByteArray()).fields().get(0);
    assertTrue(r.isResponse());
    assertEquals("client", r.certSubjectName());
  }

  @Test
  void s17_s18_badFieldLengths() {
    byte[] s17 = RawBytes.clientPacket().words(0x0202001EL, 18382).zeros(24).mac20()
        .toByteArray();
    rejects(XEvent.LEN, Reason.FIELD_LENGTH_NOT_ALIGNED, s17);
    byte[] s18 = RawBytes.clientPacket().words(0x02020100L, 18382).zeros(24).mac20()
        .toByteArray();
    rejects(XEvent.LEN, Reason.FIELD_BEYOND_DATAGRAM, s18);
  }

  @Test
  void s19_twelveByteMacIsParsedAsNtpdDoes() throws Exception {
    byte[] d = RawBytes.clientPacket().word(0x4902c795L).zeros(8).toByteArray();
    MacField m = decodeOk(d).mac().get();
    assertEquals(12, m.length());
    assertFalse(m.hasStandardDigestLength());
  }

  @Test
  void s23_assocWithoutGroupIsDeclinedByThePreCheck() throws Exception {
    AutokeyPacket nogroup = decodeOk(RawBytes.clientPacket().valueField(0x0201, 1, 0, 0x80001,
        "nogroup".getBytes(StandardCharsets.US_ASCII), new byte[0]).mac20().toByteArray());
    rejects(XEvent.LEN, Reason.NAME_WITHOUT_GROUP,
        () -> PacketChecks.assocGroupPreCheck(nogroup));
    AutokeyPacket grp = decodeOk(RawBytes.clientPacket().valueField(0x0201, 1, 0, 0x80001,
        "cli@grp".getBytes(StandardCharsets.US_ASCII), new byte[0]).mac20().toByteArray());
    assertEquals(List.of("grp"), PacketChecks.assocGroupPreCheck(grp));
    AutokeyPacket other = decodeOk(RawBytes.clientPacket().valueField(0x8201, 1, 0, 0x80001,
        "x@othergroup".getBytes(StandardCharsets.US_ASCII), new byte[0]).mac20().toByteArray());
    assertEquals(List.of("othergroup"), PacketChecks.assocGroupPreCheck(other));
    assertEquals(List.of(), PacketChecks.assocGroupPreCheck(decodeOk(
        WireGoldenTest.packetBytes("tc-client", 3))));
  }

  // ------------------------------------------------------------------ §13.3 client side

  @Test
  void c2_c3_shortAssocResponseIsRejectedNotAsserted() throws Exception {
    for (byte[] d : List.of(
        RawBytes.clientPacket().words(0x82010008L, 18382).mac20().toByteArray(),
        RawBytes.clientPacket().words(0x8201000CL, 18382, 0x40404040L).mac20().toByteArray())) {
      AutokeyPacket p = decodeOk(d);
      ExtensionField f = p.fields().get(0);
      rejects(XEvent.LEN, Reason.NOT_VALUE_FORM, f::assocHostName);
      rejects(XEvent.LEN, Reason.NOT_VALUE_FORM, f::assocStatus);
      rejects(XEvent.LEN, Reason.NAME_LENGTH, () -> PacketChecks.assocGroupPreCheck(p));
      assertArrayEquals(d, CODEC.encode(p), "12-byte field keeps its extra word");
    }
  }

  @Test
  void c4_c5_c6_assocNameLengths() throws Exception {
    byte[] c4 = RawBytes.clientPacket().words(0x82010018L, 18382, 1, 0x80003, 0, 0).mac20()
        .toByteArray();
    rejects(XEvent.LEN, Reason.VALUE_LENGTH_ZERO, c4);
    byte[] c5 = RawBytes.clientPacket().words(0x82010020L, 18382, 1, 0x80003, 9).zeros(12)
        .mac20().toByteArray();
    rejects(XEvent.LEN, Reason.VALUE_LENGTH_OVERRUN, c5);
    byte[] name600 = new byte[600];
    Arrays.fill(name600, (byte) 'a');
    name600[300] = '@';
    AutokeyPacket c6 = decodeOk(RawBytes.clientPacket().valueField(0x8201, 18382, 1, 0x80003,
        name600, new byte[0]).mac20().toByteArray());
    ExtensionField f = c6.fields().get(0);
    MalformedPacketException x = rejects(XEvent.LEN, Reason.NAME_LENGTH, f::assocHostName);
    assertEquals(600, x.value());
    assertEquals(512, x.limit());
    assertEquals(256, rejects(XEvent.LEN, Reason.NAME_LENGTH,
        () -> PacketChecks.assocGroupPreCheck(c6)).limit());
    // T11 boundary: 512 accepted by the accessor, NUL ends the name as in ntpd's C string
    byte[] n512 = new byte[512];
    Arrays.fill(n512, (byte) 'b');
    assertEquals(512, AutokeyMessages.assoc(true, 1, 1, HostStatus.of(0x80003),
        new String(n512, StandardCharsets.ISO_8859_1)).assocHostName().length());
    ExtensionField nul = ExtensionField.builder().opcode(Opcode.ASSOC).response(true)
        .valueForm(1, 0x80003, "srv\0evil".getBytes(StandardCharsets.ISO_8859_1), new byte[0])
        .build();
    assertEquals("srv", nul.assocHostName());
  }

  @Test
  void c7_c8_versionThreeAndErrorBitAssocResponses() throws Exception {
    ExtensionField v3 = decodeOk(RawBytes.clientPacket().valueField(0x8301, 18382, 1,
        0x00080003L, NAME, new byte[0]).mac20().toByteArray()).fields().get(0);
    assertEquals(3, v3.version());
    assertTrue(PacketChecks.isProtocolError(v3));
    ExtensionField e = decodeOk(RawBytes.clientPacket().valueField(0xC201, 18382, 1,
        0x00080003L, NAME, new byte[0]).mac20().toByteArray()).fields().get(0);
    assertTrue(e.isError());
    assertTrue(PacketChecks.isProtocolError(e));
  }

  @Test
  void c9_unknownNid() throws Exception {
    ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8201, 18382, 1,
        0x7FFF0003L, NAME, new byte[0]).mac20().toByteArray()).fields().get(0);
    assertEquals(0x7FFF, f.assocStatus().nid());
    assertTrue(f.assocStatus().signatureNid().isEmpty());
    assertTrue(HostStatus.of(0xFFFF0001L).signatureNid().isEmpty());
    assertEquals(SignatureNid.RSA_SHA256, HostStatus.of(668L << 16 | 1).signatureNid().get());
    assertTrue(SignatureNid.RSA_MD5.availableInReferenceBuild());
    assertFalse(SignatureNid.RSA_SHA.availableInReferenceBuild());
    assertEquals(SignatureNid.values().length, Arrays.stream(SignatureNid.values())
        .mapToInt(SignatureNid::nid).distinct().count());
    assertEquals(SignatureNid.RSA_SHA1,
        SignatureNid.ofSignatureOid("1.2.840.113549.1.1.5").get());
    assertEquals("MD5", SignatureNid.ofNid(8).get().digestName());
  }

  @Test
  void c10_clientProgressBitsAreMaskedOnReceive() throws Exception {
    ExtensionField f = decodeOk(RawBytes.clientPacket().valueField(0x8201, 18382, 1,
        0x00087F03L | 0x800CL, NAME, new byte[0]).mac20().toByteArray()).fields().get(0);
    HostStatus raw = f.assocStatus();
    assertTrue(raw.has(HostStatus.Flag.PROV) && raw.has(HostStatus.Flag.LEAP));
    HostStatus kept = raw.maskedForReceive();
    assertEquals(0x00080003L, kept.word());
    for (HostStatus.Flag fl : List.of(HostStatus.Flag.CERT, HostStatus.Flag.VRFY,
        HostStatus.Flag.PROV, HostStatus.Flag.COOK, HostStatus.Flag.AUTO, HostStatus.Flag.SIGN,
        HostStatus.Flag.LEAP)) {
      assertFalse(kept.has(fl), fl.name());
    }
    assertEquals(0x800C, raw.undefinedBits());
    assertEquals(0, kept.undefinedBits());
  }

  @Test
  void valueFormAccessorsOnShortFieldsAndWrongOpcodes() {
    ExtensionField leapReq = AutokeyMessages.leapRequest(1);
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM, leapReq::leapValues);
    assertThrows(IllegalStateException.class, leapReq::signedBytes);
    assertThrows(IllegalStateException.class, leapReq::autoValues);
    assertThrows(IllegalStateException.class, () -> leapReq.withSignature(new byte[4]));
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM,
        AutokeyMessages.emptyResponse(Opcode.CERT, 1)::certificateDer);
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM,
        AutokeyMessages.errorResponse(Opcode.IFF, 1)::identityValue);
    rejects(XEvent.LEN, Reason.NOT_VALUE_FORM,
        AutokeyMessages.errorResponse(Opcode.COOK, 1)::cookieCiphertext);
  }

  private static AutokeyPacket decodeOk(byte[] d) throws MalformedPacketException {
    AutokeyPacket p = CODEC.decode(d);
    assertArrayEquals(d, CODEC.encode(p), "accepted input re-encodes identically");
    return p;
  }
}
