package dev.autokey.interop;

/** Autokey identity scheme of a case, with the status bit ntpd shows in the flags word. */
public enum Scheme {
  /** Trusted certificate, no identity exchange. */
  TC(0),
  /** Schnorr (IFF). */
  IFF(AutokeyFlags.IFF),
  /** Guillou-Quisquater. */
  GQ(AutokeyFlags.GQ),
  /** Mu-Varadharajan. */
  MV(AutokeyFlags.MV);

  private final int statusBit;

  Scheme(int statusBit) {
    this.statusBit = statusBit;
  }

  /** The bit of the peer status (low byte of the flags word); 0 for TC. */
  public int statusBit() {
    return statusBit;
  }

  /** Lower-case name as used in file names ({@code iff}, {@code gq}, {@code mv}). */
  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
