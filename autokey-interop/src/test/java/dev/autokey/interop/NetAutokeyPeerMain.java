package dev.autokey.interop;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.net.AssociationOptions;
import dev.autokey.net.AutokeyAuthenticator;
import dev.autokey.net.AutokeyTimers;
import dev.autokey.net.NtpAssociation;
import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import dev.autokey.net.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Java symmetric-active Autokey peer in a namespace ({@code peer PEER autokey}): {@code
 * NetAutokeyPeerMain KEYS HOST PASSWORD LOCAL PEER SECONDS INTERVAL_MS} loads HOST's ntp-keygen
 * files from KEYS, binds LOCAL:123 (stratum 3 from the local clock), runs a symmetric-active
 * association with PEER:123 sending every INTERVAL_MS, and prints every verdict, every Autokey
 * event (cryptostats format), the flags word when it changes and a closing summary line.
 */
public final class NetAutokeyPeerMain {
  private NetAutokeyPeerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    SecureRandom random = new SecureRandom();
    BcCryptoSuite suite = BcCryptoSuite.fromKeysDirectory(Paths.get(args[0]), args[1], null,
        args[2].toCharArray(), List.of(), CryptoPolicy.legacy(CryptoWarningListener.IGNORE),
        random);
    NtpClock clock = NtpClock.system();
    AutokeyHost host = AutokeyHost.create(AutokeyConfig.defaults(), suite, random,
        e -> System.out.printf(Locale.ROOT, "%.2f s  event %s%n", (System.nanoTime() - t0) / 1e9,
            CryptostatsFormatter.format(e)));
    host.setSynchronised(true, clock.now());
    InetAddress local = InetAddress.getByName(args[3]);
    InetAddress peerAddress = InetAddress.getByName(args[4]);
    long seconds = Long.parseLong(args[5]);
    long intervalMs = Long.parseLong(args[6]);
    Map<String, Integer> verdicts = new TreeMap<>();
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(local, 123))
        .timeSource(TimeSource.localClock(clock, 3)).build()) {
      SymmetricPeer peer = host.symmetricActive(local, peerAddress, Optional.empty());
      AutokeyTimers timers = AutokeyTimers.start(node.transport(), clock, host);
      NtpAssociation a = node.peer(new InetSocketAddress(peerAddress, 123),
          AssociationOptions.builder().poll(3).interval(Duration.ofMillis(intervalMs))
              .authenticator(new AutokeyAuthenticator(peer, timers, v -> {
                synchronized (verdicts) {
                  verdicts.merge(v.kind() + "/" + v.cause(), 1, Integer::sum);
                }
                System.out.printf(Locale.ROOT, "%.2f s  verdict %s %s %s key 0x%08x: %s%n",
                    (System.nanoTime() - t0) / 1e9, v.kind(), v.cause(), v.event(), v.keyId(),
                    v.detail());
              }))
              .listener(s -> System.out.printf(Locale.ROOT, "%.2f s  sample offset=%+.6fs%n",
                  (System.nanoTime() - t0) / 1e9, s.offsetSeconds())).build());
      System.out.println("peer " + host.hostName() + " " + node.transport().localAddresses()
          + " -> " + peerAddress.getHostAddress());
      long last = -1;
      long end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        long f = peer.association().flags();
        if (f != last) {
          System.out.printf(Locale.ROOT, "%.2f s  flags 0x%08x%n", (System.nanoTime() - t0) / 1e9,
              f);
          last = f;
        }
        Thread.sleep(200);
      }
      synchronized (verdicts) {
        System.out.printf(Locale.ROOT, "summary flags=0x%08x allFlags=%b verdicts=%s stats=%s%n",
            peer.association().flags(), peer.association().allFlags(), verdicts, a.stats());
      }
    }
  }
}
