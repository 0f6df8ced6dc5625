package dev.autokey.interop;

import java.util.ArrayList;
import java.util.List;

/** The crypto flags word ntpq shows as {@code flags=} for an association (ntp_crypto.h). */
public final class AutokeyFlags {
  /** Peer status: Autokey enabled. */
  public static final int ENAB = 0x1;
  /** Peer status: has leap-second values. */
  public static final int TAI = 0x2;
  /** Peer status: private certificate. */
  public static final int PRIV = 0x10;
  /** Peer status: IFF scheme. */
  public static final int IFF = 0x20;
  /** Peer status: GQ scheme. */
  public static final int GQ = 0x40;
  /** Peer status: MV scheme. */
  public static final int MV = 0x80;
  /** Certificate received. */
  public static final int CERT = 0x100;
  /** Certificate trail / identity verified. */
  public static final int VRFY = 0x200;
  /** Proventic (trusted). */
  public static final int PROV = 0x400;
  /** Cookie received. */
  public static final int COOK = 0x800;
  /** Autokey values received. */
  public static final int AUTO = 0x1000;
  /** Own certificate signed by the server. */
  public static final int SIGN = 0x2000;
  /** Leap-second values received. */
  public static final int LEAP = 0x4000;
  /** CERT VRFY PROV COOK AUTO SIGN LEAP: a complete Autokey exchange. */
  public static final int ALL = 0x7f00;

  private static final String[] NAMES = {"CERT", "VRFY", "PROV", "COOK", "AUTO", "SIGN", "LEAP"};

  private AutokeyFlags() {}

  /** True when all seven progress bits are lit ({@code flags} -1 = no flags variable: false). */
  public static boolean complete(int flags) {
    return flags >= 0 && (flags & ALL) == ALL;
  }

  /** The scheme bits of the low byte (IFF, GQ, MV, PRIV; 0 for TC). */
  public static int schemeBits(int flags) {
    return flags & (PRIV | IFF | GQ | MV);
  }

  /** e.g. {@code 0x87f23 [CERT VRFY PROV COOK AUTO SIGN LEAP]}; {@code none} for -1 (absent). */
  public static String describe(int flags) {
    if (flags < 0) {
      return "none";
    }
    List<String> lit = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      if ((flags & (CERT << i)) != 0) {
        lit.add(NAMES[i]);
      }
    }
    return "0x" + Integer.toHexString(flags) + " [" + String.join(" ", lit) + "]";
  }
}
