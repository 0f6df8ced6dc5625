package dev.autokey.core.wire;

import java.io.ByteArrayOutputStream;

/** Hand-written wire bytes for bad-input tests, independent of the codec under test. */
final class RawBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts with a 48-byte client-mode header (LI 3, VN 4, mode 3, transmit timestamp set). */
  static RawBytes clientPacket() {
    RawBytes r = new RawBytes();
    r.u8(0xE3).u8(0).u8(6).u8(0xEC);
    for (int i = 4; i < 40; i++) {
      r.u8(0);
    }
    r.word(0xeead58d7L).word(0x12345678L);
    return r;
  }

  RawBytes u8(int v) {
    out.write(v);
    return this;
  }

  RawBytes word(long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
    return this;
  }

  RawBytes words(long... vs) {
    for (long v : vs) {
      word(v);
    }
    return this;
  }

  RawBytes bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  RawBytes zeros(int n) {
    return bytes(new byte[n]);
  }

  /** A value-form field laid out as ntpd's crypto_xmit does; length word from the parts. */
  RawBytes valueField(int flagsVersionOpcode, long assoc, long ts, long fs, byte[] value,
      byte[] sig) {
    int pv = (value.length + 3) & ~3;
    int ps = (sig.length + 3) & ~3;
    int len = 24 + pv + ps;
    word(((long) flagsVersionOpcode << 16) | len).word(assoc).word(ts).word(fs)
        .word(value.length).bytes(value).zeros(pv - value.length).word(sig.length).bytes(sig)
        .zeros(ps - sig.length);
    return this;
  }

  /** A 20-byte MD5 MAC with an Autokey key ID. */
  RawBytes mac20() {
    word(0x4902c795L);
    for (int i = 0; i < 16; i++) {
      u8(0x10 + i);
    }
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }
}
