package dev.autokey.interop;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.net.AutokeyAuthenticator;
import dev.autokey.net.AutokeyResponderAuthenticator;
import dev.autokey.net.AutokeyTimers;
import dev.autokey.net.Datagram;
import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import dev.autokey.net.PacketAuthenticator;
import dev.autokey.net.TimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;

/**
 * The Java Autokey broadcast server in a namespace: {@code NetBroadcastServerMain KEYS HOST
 * PASSWORD IDENT|- ADDRESS BROADCAST SECONDS} loads HOST's ntp-keygen files from KEYS, answers
 * unicast requests on ADDRESS:123 (the broadcast clients' volley, AUTO requests included) as
 * stratum 3 from the local clock, and broadcasts every 8 s (poll 3) to BROADCAST:123 for SECONDS
 * (ntpd: {@code broadcast BROADCAST autokey minpoll 3}). Prints one line per broadcast with its
 * key ID and field ({@code broadcast N t=S keyid=K field=ASSOC}), the engine's events and its
 * counters.
 */
public final class NetBroadcastServerMain {
  private NetBroadcastServerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String ident = NamespaceKeys.ident(args[3]);
    SecureRandom random = new SecureRandom();
    BcCryptoSuite suite = NamespaceKeys.suite(args[0], args[1], args[2], ident, random);
    AutokeyConfig.Builder cb = NamespaceKeys.config(ident);
    NtpClock clock = NtpClock.system();
    long t0 = System.nanoTime();
    AutokeyHost host = AutokeyHost.create(cb.build(), suite, random,
        NamespaceKeys.printEvents());
    host.setSynchronised(true, clock.now());
    AutokeyResponderAuthenticator responder =
        new AutokeyResponderAuthenticator(host.responder(), clock);
    InetAddress address = InetAddress.getByName(args[4]);
    InetAddress bcast = InetAddress.getByName(args[5]);
    long seconds = Long.parseLong(args[6]);
    BroadcastServer bs = host.broadcastServer(address, bcast);
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(address, 123))
        .timeSource(TimeSource.localClock(clock, 3)).serve(responder).build()) {
      AutokeyAuthenticator auth =
          new AutokeyAuthenticator(bs, AutokeyTimers.start(node.transport(), clock, host));
      PacketAuthenticator printing = new PacketAuthenticator() {
        int n;

        @Override
        public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
          if (!auth.seal(packet, local, remote)) {
            return false;
          }
          byte[] d = new byte[packet.position()];
          packet.get(0, d);
          String field;
          try {
            AutokeyPacket p = PacketCodec.ntpd().decode(d, 0, d.length);
            field = p.fields().isEmpty() ? "none" : p.fields().get(0).opcode().toString();
          } catch (Exception ex) {
            field = "undecodable " + ex.getMessage();
          }
          System.out.printf(Locale.ROOT, "broadcast %d t=%.1f keyid=%08x field=%s len=%d%n", ++n,
              (System.nanoTime() - t0) / 1e9, bs.lastKeyId(), field, d.length);
          return true;
        }

        @Override
        public Verdict open(Datagram datagram) {
          return auth.open(datagram);
        }
      };
      InetSocketAddress from = node.transport().localAddresses().get(0);
      node.broadcastServer(from, new InetSocketAddress(bcast, 123), 3, Duration.ofSeconds(8),
          printing);
      System.out.println("broadcasting as " + host.hostName() + " association "
          + bs.associationId() + " from " + from + " to " + bcast.getHostAddress());
      for (long t = 0; t < seconds; t += 5) {
        Thread.sleep(5000);
        System.out.println("t=" + (t + 5) + "s " + node.stats() + " " + responder.stats());
      }
    }
  }
}
