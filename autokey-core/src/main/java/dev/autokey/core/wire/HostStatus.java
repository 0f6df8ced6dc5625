package dev.autokey.core.wire;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The 32-bit Autokey host status word carried in the filestamp slot of ASSOC messages
 * (docs/protocol.md §4): flag bits in the low 16 bits, the OpenSSL NID of the host certificate's
 * signature algorithm in the high 16 bits. Immutable.
 *
 * <p>A status word received from a peer describes the peer only; ntpd 4.2.8p15 wrongly copies the
 * client-progress bits (0x7F00) from it. Use {@link #maskedForReceive()} before storing one.
 */
public final class HostStatus {
  /** The flag bits. */
  public enum Flag {
    /** Autokey enabled. */
    ENAB(0x0001),
    /** Leap values available (set once the host has been synchronised). */
    TAI(0x0002),
    /** PC (private certificate) scheme. */
    PRIV(0x0010),
    /** IFF server keys loaded. */
    IFF(0x0020),
    /** GQ server keys loaded. */
    GQ(0x0040),
    /** MV server keys loaded. */
    MV(0x0080),
    /** Client state: trusted certificate reached. */
    CERT(0x0100),
    /** Client state: identity verified. */
    VRFY(0x0200),
    /** Client state: proventic (first signature verified after VRFY). */
    PROV(0x0400),
    /** Client state: cookie received. */
    COOK(0x0800),
    /** Client state: autokey values received. */
    AUTO(0x1000),
    /** Client state: own certificate signed. */
    SIGN(0x2000),
    /** Client state: leap values received. */
    LEAP(0x4000);

    private final int bit;

    Flag(int bit) {
      this.bit = bit;
    }

    /** The bit mask of this flag. */
    public int bit() {
      return bit;
    }
  }

  /** Identity-scheme bits (PRIV, IFF, GQ, MV): {@value}. */
  public static final int IDENTITY_MASK = 0x00F0;
  /** Client-progress bits (CERT .. LEAP): {@value}. */
  public static final int CLIENT_STATE_MASK = 0x7F00;
  /**
   * Bits a receiver may keep from a peer's status word: NID, ENAB, TAI and the identity bits
   * ({@code 0xFFFF00F3}).
   */
  public static final int RECEIVE_MASK = 0xFFFF00F3;

  private final int word;

  private HostStatus(int word) {
    this.word = word;
  }

  /** The status word for a raw 32-bit value (the low 32 bits of {@code word} are used). */
  public static HostStatus of(long word) {
    return new HostStatus((int) word);
  }

  /** A status word from a NID and flags. */
  public static HostStatus of(int nid, Set<Flag> flags) {
    if (nid < 0 || nid > 0xFFFF) {
      throw new IllegalArgumentException("NID must be 0..65535: " + nid);
    }
    int w = nid << 16;
    for (Flag f : flags) {
      w |= f.bit;
    }
    return new HostStatus(w);
  }

  /** The raw word as an unsigned value. */
  public long word() {
    return word & 0xFFFFFFFFL;
  }

  /** The raw word as a Java int (same bits). */
  public int intValue() {
    return word;
  }

  /** The signature NID (bits 16..31). */
  public int nid() {
    return word >>> 16;
  }

  /** The signature algorithm for the NID, if ntpd's OpenSSL lookup knows it. */
  public Optional<SignatureNid> signatureNid() {
    return SignatureNid.ofNid(nid());
  }

  /** Whether the flag is set. */
  public boolean has(Flag flag) {
    return (word & flag.bit) != 0;
  }

  /** The flags that are set. */
  public Set<Flag> flags() {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    for (Flag f : Flag.values()) {
      if (has(f)) {
        s.add(f);
      }
    }
    return s;
  }

  /** Bits set that are no defined flag (bits 2, 3 and 15). */
  public int undefinedBits() {
    return word & 0x0000800C;
  }

  /** This word with the given flag set. */
  public HostStatus with(Flag flag) {
    return new HostStatus(word | flag.bit);
  }

  /** This word with the given flag cleared. */
  public HostStatus without(Flag flag) {
    return new HostStatus(word & ~flag.bit);
  }

  /** This word with another NID. */
  public HostStatus withNid(int nid) {
    if (nid < 0 || nid > 0xFFFF) {
      throw new IllegalArgumentException("NID must be 0..65535: " + nid);
    }
    return new HostStatus((word & 0xFFFF) | (nid << 16));
  }

  /**
   * The word masked to {@link #RECEIVE_MASK}: what a receiver may keep from a peer's status. Drops
   * the client-progress bits a forged ASSOC message could set (docs/protocol.md §3.1, C10).
   */
  public HostStatus maskedForReceive() {
    return new HostStatus(word & RECEIVE_MASK);
  }

  /** Whether any identity-scheme bit (PRIV, IFF, GQ, MV) is set. */
  public boolean hasIdentityScheme() {
    return (word & IDENTITY_MASK) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostStatus && ((HostStatus) o).word == word;
  }

  @Override
  public int hashCode() {
    return word;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "0x%08x%s", word(), flags());
  }
}
