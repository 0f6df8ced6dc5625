package dev.autokey.interop;

import java.net.InetAddress;

/** Address family of a live case. */
public enum IpFamily {
  IPV4,
  IPV6;

  /** The address as ntp.conf and ntpq want it (no brackets, no scope). */
  public static String literal(InetAddress a) {
    return com.google.common.net.InetAddresses.toAddrString(a);
  }
}
