package dev.autokey.core.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Drives the decoder and every accessor over one input; shared by the robustness property and the
 * Jazzer fuzz test. Anything thrown other than {@link MalformedPacketException} is a finding.
 */
final class WireExercise {
  private WireExercise() {}

  /** Returns true if the input was accepted. */
  static boolean run(PacketCodec codec, byte[] input) {
    AutokeyPacket p;
    try {
      p = codec.decode(input);
    } catch (MalformedPacketException e) {
      if (e.event() == null || e.reason() == null) {
        throw new AssertionError("exception without code", e);
      }
      return false;
    }
    byte[] again = codec.encode(p);
    if (!Arrays.equals(input, again)) {
      throw new AssertionError("accepted input does not re-encode identically: " + p);
    }
    AutokeyPacket q;
    try {
      q = codec.decode(ByteBuffer.wrap(again));
    } catch (MalformedPacketException e) {
      throw new AssertionError("re-encoded packet rejected", e);
    }
    if (!p.equals(q) || p.hashCode() != q.hashCode()) {
      throw new AssertionError("decode(ByteBuffer) differs");
    }
    if (p.encodedLength() != input.length || p.macOffset() > input.length) {
      throw new AssertionError("lengths");
    }
    p.toString();
    p.isCryptoNak();
    p.header().mode();
    p.mac().ifPresent(m -> {
      m.hasStandardDigestLength();
      m.isAutokeyKeyId();
    });
    for (ExtensionField f : p.fields()) {
      accessors(f);
    }
    try {
      PacketChecks.assocGroupPreCheck(p);
    } catch (MalformedPacketException expected) {
      // a declined packet is a valid outcome
    }
    return true;
  }

  private static void accessors(ExtensionField f) {
    PacketChecks.isProtocolError(f);
    f.toString();
    if (f.isValueForm()) {
      byte[] s = f.signedBytes();
      if (s.length != 12 + f.valueLength()) {
        throw new AssertionError("signed bytes length");
      }
      if (!f.canonical().isCanonical()) {
        throw new AssertionError("canonical()");
      }
    }
    try {
      switch (f.opcode().code()) {
        case 1:
          f.assocStatus().maskedForReceive().signatureNid();
          f.assocHostName();
          break;
        case 2:
          if (f.isResponse()) {
            f.certificateDer();
          } else {
            f.certSubjectName();
          }
          break;
        case 3:
          if (f.isResponse()) {
            f.cookieCiphertext();
          } else {
            f.cookiePublicKeyDer();
          }
          break;
        case 4:
          f.autoValues();
          break;
        case 5:
          f.leapValues().hasPlausibleTaiOffset();
          break;
        case 6:
          f.certificateDer();
          break;
        case 7:
        case 8:
        case 9:
          f.identityValue();
          break;
        default:
          break;
      }
    } catch (MalformedPacketException expected) {
      // typed rejection is a valid outcome
    }
  }
}
