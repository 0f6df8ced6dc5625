package dev.autokey.core.wire;

/**
 * Autokey extension-field opcode (byte 1 of the field's header word in ntpd's octet order).
 *
 * <p>The ten opcodes ntpd 4.2.8p15 knows are constants; any other 8-bit value is kept as an
 * unnamed opcode ({@link #isKnown()} false) instead of being rejected, in the way Netty keeps
 * unknown DNS record types. Two opcodes are equal when their codes are equal.
 */
public final class Opcode implements Comparable<Opcode> {
  /** NULL (0): never sent by ntpd; a request is answered with an error response. */
  public static final Opcode NULL = new Opcode(0, "NULL");
  /** ASSOC (1): association and host status word. */
  public static final Opcode ASSOC = new Opcode(1, "ASSOC");
  /** CERT (2): certificate retrieval. */
  public static final Opcode CERT = new Opcode(2, "CERT");
  /** COOK (3): cookie. */
  public static final Opcode COOK = new Opcode(3, "COOK");
  /** AUTO (4): autokey values (key ID and sequence number). */
  public static final Opcode AUTO = new Opcode(4, "AUTO");
  /** LEAP (5): leap-second values. */
  public static final Opcode LEAP = new Opcode(5, "LEAP");
  /** SIGN (6): certificate signing. */
  public static final Opcode SIGN = new Opcode(6, "SIGN");
  /** IFF (7): Schnorr identity scheme. */
  public static final Opcode IFF = new Opcode(7, "IFF");
  /** GQ (8): Guillou-Quisquater identity scheme. */
  public static final Opcode GQ = new Opcode(8, "GQ");
  /** MV (9): Mu-Varadharajan identity scheme. */
  public static final Opcode MV = new Opcode(9, "MV");

  private static final Opcode[] KNOWN = {NULL, ASSOC, CERT, COOK, AUTO, LEAP, SIGN, IFF, GQ, MV};

  private final int code;
  private final String name;

  private Opcode(int code, String name) {
    this.code = code;
    this.name = name;
  }

  /**
   * The opcode for an 8-bit code: one of the constants for 0..9, otherwise a new unnamed opcode.
   *
   * @throws IllegalArgumentException if {@code code} is outside 0..255
   */
  public static Opcode valueOf(int code) {
    if (code < 0 || code > 0xFF) {
      throw new IllegalArgumentException("opcode must be 0..255: " + code);
    }
    if (code < KNOWN.length) {
      return KNOWN[code];
    }
    return new Opcode(code, "UNKNOWN(" + code + ")");
  }

  /** The 8-bit code. */
  public int code() {
    return code;
  }

  /** The name ({@code ASSOC}, ...) or {@code UNKNOWN(n)}. */
  public String name() {
    return name;
  }

  /** Whether this is one of the ten opcodes ntpd 4.2.8p15 implements (0..9). */
  public boolean isKnown() {
    return code < KNOWN.length;
  }

  /** Whether this is an identity-scheme opcode (IFF, GQ or MV). */
  public boolean isIdentity() {
    return code == 7 || code == 8 || code == 9;
  }

  @Override
  public int compareTo(Opcode o) {
    return Integer.compare(code, o.code);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Opcode && ((Opcode) o).code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }

  @Override
  public String toString() {
    return name;
  }
}
