package dev.autokey.interop;

import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import dev.autokey.net.SymmetricKeyResponderAuthenticator;
import dev.autokey.net.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Java symmetric-key (AUTH) server in a namespace: {@code NetSymmetricKeyServerMain KEYS
 * TRUSTED ADDRESS SECONDS} reads KEYS (an ntp.keys) with our parser, trusts the comma-separated
 * key IDs TRUSTED ({@code trustedkey}), answers on ADDRESS:123 as stratum 3 from the local clock
 * for SECONDS and prints its counters every 5 s.
 */
public final class NetSymmetricKeyServerMain {
  private NetSymmetricKeyServerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    Set<Integer> trusted = Arrays.stream(args[1].split(",")).map(Integer::valueOf)
        .collect(Collectors.toSet());
    SymmetricKeyResponderAuthenticator auth = new SymmetricKeyResponderAuthenticator(
        SymmetricKeyFiles.read(Paths.get(args[0]), trusted), false);
    InetAddress address = InetAddress.getByName(args[2]);
    long seconds = Long.parseLong(args[3]);
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(address, 123))
        .timeSource(TimeSource.localClock(NtpClock.system(), 3)).serve(auth).build()) {
      System.out.println("serving keys " + trusted + " on " + node.transport().localAddresses());
      for (long t = 0; t < seconds; t += 5) {
        Thread.sleep(5000);
        System.out.println("t=" + (t + 5) + "s " + node.stats() + " " + auth.stats());
      }
    }
  }
}
