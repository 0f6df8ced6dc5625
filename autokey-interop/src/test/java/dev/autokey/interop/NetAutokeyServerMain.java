package dev.autokey.interop;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.net.AutokeyResponderAuthenticator;
import dev.autokey.net.AutokeyTimers;
import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import dev.autokey.net.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * The Java Autokey server in a namespace: {@code NetAutokeyServerMain KEYS HOST PASSWORD
 * IDENT|- DIGEST ADDRESS SECONDS} loads HOST's ntp-keygen files from KEYS (as ntpd's
 * {@code crypto pw PASSWORD host HOST [ident IDENT] digest DIGEST} would), answers on
 * ADDRESS:123 as stratum 3 from the local clock for SECONDS, and prints its events (cryptostats
 * format) and counters.
 */
public final class NetAutokeyServerMain {
  private NetAutokeyServerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String ident = NamespaceKeys.ident(args[3]);
    SecureRandom random = new SecureRandom();
    BcCryptoSuite suite = NamespaceKeys.suite(args[0], args[1], args[2], ident, random);
    AutokeyConfig.Builder cb = NamespaceKeys.config(ident).digest(args[4]);
    NtpClock clock = NtpClock.system();
    AutokeyHost host = AutokeyHost.create(cb.build(), suite, random,
        NamespaceKeys.printEvents());
    host.setSynchronised(true, clock.now());
    AutokeyResponderAuthenticator auth =
        new AutokeyResponderAuthenticator(host.responder(), clock);
    InetAddress address = InetAddress.getByName(args[5]);
    long seconds = Long.parseLong(args[6]);
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(address, 123))
        .timeSource(TimeSource.localClock(clock, 3)).serve(auth).build()) {
      AutokeyTimers.start(node.transport(), clock, host);
      System.out.println("serving " + host.hostName() + " on " + node.transport().localAddresses());
      for (long t = 0; t < seconds; t += 5) {
        Thread.sleep(5000);
        System.out.println("t=" + (t + 5) + "s " + node.stats() + " " + auth.stats());
      }
    }
  }
}
