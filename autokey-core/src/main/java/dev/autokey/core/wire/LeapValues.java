package dev.autokey.core.wire;

import java.nio.ByteBuffer;

/**
 * LEAP values as ntpd 4.2.8p15 sends them: TAI-UTC offset in seconds, start of the current leap
 * era (low 32 bits of NTP seconds) and a synthetic expiration; all zero when the sender has no
 * leap table (docs/protocol.md §3.5). All unsigned 32 bits.
 */
public record LeapValues(long taiOffset, long eraStart, long expiration) {
  /** Largest TAI-UTC offset {@link #hasPlausibleTaiOffset()} accepts: {@value}. */
  public static final long MAX_PLAUSIBLE_TAI_OFFSET = 1000;

  /** Checks the three are unsigned 32-bit values. */
  public LeapValues {
    ExtensionField.checkU32("TAI offset", taiOffset);
    ExtensionField.checkU32("era start", eraStart);
    ExtensionField.checkU32("expiration", expiration);
  }

  static LeapValues fromBytes(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new LeapValues(Bytes.u32(b, 0), Bytes.u32(b, 4), Bytes.u32(b, 8));
  }

  /** Whether all three words are 0 (the sender has no leap table). */
  public boolean isEmpty() {
    return taiOffset == 0 && eraStart == 0 && expiration == 0;
  }

  /**
   * Whether the TAI offset is 0 (no table) or in 10..{@value #MAX_PLAUSIBLE_TAI_OFFSET}; ntpd
   * hands any value to its leap module, a careful client should not (docs/security.md T27).
   */
  public boolean hasPlausibleTaiOffset() {
    return taiOffset == 0 || (taiOffset >= 10 && taiOffset <= MAX_PLAUSIBLE_TAI_OFFSET);
  }

  /** The 12-byte value. */
  public byte[] toBytes() {
    byte[] out = new byte[12];
    ByteBuffer b = ByteBuffer.wrap(out);
    Bytes.putInt(b, 0, (int) taiOffset);
    Bytes.putInt(b, 4, (int) eraStart);
    Bytes.putInt(b, 8, (int) expiration);
    return out;
  }
}
