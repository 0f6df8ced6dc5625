package dev.autokey.core;

/**
 * Autokey event and error codes ({@code XEVNT_*} of ntpd's {@code ntp_crypto.h}). The numeric
 * value is {@code 0x100 | n}, as ntpd logs it in {@code cryptostats} and puts it nowhere on the
 * wire (error responses carry only the E bit).
 */
public enum XEvent {
  /** Success. */
  OK(0x100, "success"),
  /** Bad field format or length. */
  LEN(0x101, "bad field format or length"),
  /** Bad timestamp. */
  TSP(0x102, "bad timestamp"),
  /** Bad filestamp. */
  FSP(0x103, "bad filestamp"),
  /** Bad or missing public key. */
  PUB(0x104, "bad or missing public key"),
  /** Unsupported digest type. */
  MD(0x105, "unsupported digest type"),
  /** Unsupported identity type. */
  KEY(0x106, "unsupported identity type"),
  /** Bad signature length. */
  SGL(0x107, "bad signature length"),
  /** Signature not verified. */
  SIG(0x108, "signature not verified"),
  /** Certificate not verified. */
  VFY(0x109, "certificate not verified"),
  /** Host certificate expired. */
  PER(0x10a, "host certificate expired"),
  /** Bad or missing cookie. */
  CKY(0x10b, "bad or missing cookie"),
  /** Bad or missing leapseconds. */
  DAT(0x10c, "bad or missing leapseconds"),
  /** Bad or missing certificate. */
  CRT(0x10d, "bad or missing certificate"),
  /** Bad or missing group key. */
  ID(0x10e, "bad or missing group key"),
  /** Protocol error: the only code that restarts an association. */
  ERR(0x10f, "protocol error");

  private final int code;
  private final String text;

  XEvent(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The numeric code, {@code 0x100 | n}. */
  public int code() {
    return code;
  }

  /** ntpd's text for the code. */
  public String text() {
    return text;
  }

  /** The name ntpd uses, e.g. {@code XEVNT_LEN}. */
  public String ntpdName() {
    return "XEVNT_" + name();
  }

  /** Whether receiving this code restarts the association (only {@link #ERR} does). */
  public boolean restartsAssociation() {
    return this == ERR;
  }

  /** The event for a numeric code. */
  public static XEvent ofCode(int code) {
    for (XEvent e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    throw new IllegalArgumentException(String.format("unknown XEVNT code 0x%x", code));
  }
}
