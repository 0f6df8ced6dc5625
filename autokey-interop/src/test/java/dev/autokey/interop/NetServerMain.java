package dev.autokey.interop;

import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import dev.autokey.net.ServerAuthenticator;
import dev.autokey.net.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The autokey-net server as a separate JVM inside a namespace: {@code NetServerMain ADDRESS
 * STRATUM SECONDS} answers on ADDRESS:123 as stratum STRATUM from the local clock (reference ID
 * LOCL), without authentication, for SECONDS seconds, printing its counters every 5 s.
 */
public final class NetServerMain {
  private NetServerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    InetAddress address = InetAddress.getByName(args[0]);
    int stratum = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(address, 123))
        .timeSource(TimeSource.localClock(NtpClock.system(), stratum))
        .serve(ServerAuthenticator.none()).build()) {
      System.out.println("serving on " + node.transport().localAddresses());
      for (long t = 0; t < seconds; t += 5) {
        Thread.sleep(5000);
        System.out.println("t=" + (t + 5) + "s " + node.stats());
      }
    }
  }
}
