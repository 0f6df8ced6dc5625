package dev.autokey.interop;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutoValues;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.net.AutokeyAuthenticator;
import dev.autokey.net.AutokeyTimers;
import dev.autokey.net.BroadcastClientAuthenticator;
import dev.autokey.net.Datagram;
import dev.autokey.net.NtpClock;
import dev.autokey.net.NtpNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java Autokey broadcast client in a namespace: {@code NetBroadcastClientMain KEYS HOST
 * PASSWORD IDENT|- LOCAL BROADCAST COUNT TIMEOUT_S} loads HOST's ntp-keygen files from KEYS,
 * binds LOCAL:123 and BROADCAST:123 (ntpd: {@code broadcastclient}), mobilises from the server's
 * ASSOC broadcast, runs the volley by unicast every 2 s, and then counts broadcasts accepted for
 * time. Each accepted broadcast without an AUTO field is also checked here, independently of the
 * engine: its key ID must hash (MD5, server → broadcast address, cookie 0) to the previously
 * accepted key ID, or for the first one to the AUTO key ID the server sent in the volley, within
 * the AUTO sequence count. Prints one line per packet judged, {@code ALL FLAGS} with the seconds
 * since start, {@code verified broadcast N ...} lines, and exits 0 after COUNT verified
 * broadcasts after the volley, 2 on timeout, 3 on a rejected packet or a broken chain.
 */
public final class NetBroadcastClientMain {
  private NetBroadcastClientMain() {}

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
    InetAddress local = InetAddress.getByName(args[4]);
    InetAddress bcast = InetAddress.getByName(args[5]);
    int count = Integer.parseInt(args[6]);
    long timeoutNanos = Duration.ofSeconds(Long.parseLong(args[7])).toNanos();
    Object lock = new Object();
    AtomicReference<BroadcastClient> current = new AtomicReference<>();
    Verdict[] last = new Verdict[1];
    // loop-thread state of the independent chain check
    long[] chainKey = {-1};
    long[] chainSteps = {0};
    int[] verified = {0};
    int[] rejected = {0};
    int[] broken = {0};
    double[] allFlagsAt = {Double.NaN};
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    // the engine's factory needs the node's timer driver: set once the node is up
    BroadcastClientAuthenticator.Factory[] autokey = new BroadcastClientAuthenticator.Factory[1];
    BroadcastClientAuthenticator.Factory watching = (d, l) -> autokey[0].mobilise(d, l)
        .map(a -> new BroadcastClientAuthenticator() {
          @Override
          public boolean wantsUnicast() {
            return a.wantsUnicast();
          }

          @Override
          public boolean isDemobilised() {
            return a.isDemobilised();
          }

          @Override
          public void close() {
            a.close();
          }

          @Override
          public boolean seal(ByteBuffer packet, InetSocketAddress from, InetSocketAddress to) {
            boolean sent = a.seal(packet, from, to);
            if (sent) {
              System.out.printf(Locale.ROOT, "volley request t=%.2f %s -> %s %s%n", el(t0),
                  from, to, fields(packet.array(), packet.position()));
            }
            return sent;
          }

          @Override
          public Verdict open(Datagram d) {
            last[0] = null;
            Verdict r = a.open(d);
            Verdict v = last[0];
            byte[] p = d.copyPayload();
            int mode = p[0] & 7;
            AutokeyPacket pkt = decode(p);
            BroadcastClient bc = current.get();
            System.out.printf(Locale.ROOT, "packet t=%.2f mode=%d from=%s to=%s %s verdict=%s%n",
                el(t0), mode, d.source(), d.local(), fields(p, p.length), v);
            if (pkt != null && mode == 4) {
              for (ExtensionField f : pkt.fields()) {
                if (f.opcode().equals(Opcode.AUTO) && f.isResponse() && !f.isError()) {
                  AutoValues av;
                  try {
                    av = f.autoValues();
                  } catch (Exception ex) {
                    System.out.println("bad AUTO values: " + ex.getMessage());
                    continue;
                  }
                  chainKey[0] = av.keyId();
                  chainSteps[0] = av.sequence() + 1;
                  System.out.printf(Locale.ROOT, "auto values from the volley: key %08x seq %d%n",
                      av.keyId(), av.sequence());
                }
              }
            }
            if (v != null && v.kind() == Verdict.Kind.REJECTED) {
              rejected[0]++;
            }
            if (bc != null && Double.isNaN(allFlagsAt[0]) && bc.isReceivingBroadcasts()) {
              allFlagsAt[0] = el(t0);
              System.out.printf(Locale.ROOT, "%.1f s  ALL FLAGS lit: status word 0x%08x%n",
                  allFlagsAt[0], bc.association().flags());
            }
            if (mode == 5 && v != null && v.kind() == Verdict.Kind.ACCEPTED
                && !Double.isNaN(allFlagsAt[0])) {
              boolean auto = pkt != null && pkt.fields().stream()
                  .anyMatch(f -> f.opcode().equals(Opcode.AUTO));
              long key = v.keyId();
              int steps = 0;
              if (auto) {
                chainKey[0] = key;
                chainSteps[0] = 100;
              } else {
                int k = (int) key;
                AddressPair pair = AddressPair.of(d.source().getAddress(), d.local().getAddress());
                boolean found = false;
                for (steps = 1; steps <= chainSteps[0]; steps++) {
                  k = md5.nextKeyId(pair, k, 0);
                  if ((k & 0xFFFF_FFFFL) == chainKey[0]) {
                    found = true;
                    break;
                  }
                }
                if (!found) {
                  broken[0]++;
                  System.out.printf(Locale.ROOT, "CHAIN BROKEN keyid=%08x does not hash to %08x%n",
                      key, chainKey[0]);
                }
                chainSteps[0] = Math.max(1, chainSteps[0] - steps);
                chainKey[0] = key;
              }
              verified[0]++;
              System.out.printf(Locale.ROOT, "verified broadcast %d t=%.1f keyid=%08x %s%n",
                  verified[0], el(t0), key, auto ? "signed AUTO push" : "hashes to the previous"
                      + " key ID in " + steps + " step(s)");
              synchronized (lock) {
                lock.notifyAll();
              }
            }
            return r;
          }
        });
    int exit;
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(local, 123))
        .bindBroadcast(new InetSocketAddress(bcast, 123)).build()) {
      autokey[0] = AutokeyAuthenticator.broadcastClients(
          AutokeyTimers.start(node.transport(), clock, host), v -> last[0] = v, c -> {
            current.set(c);
            System.out.printf(Locale.ROOT, "mobilised t=%.1f %s%n", el(t0), c);
          });
      node.broadcastClient(watching, NtpNode.DEFAULT_BROADCAST_DELAY, Duration.ofSeconds(2),
          s -> {
            if (!host.isSynchronised()) {
              host.setSynchronised(true, clock.now());
            }
            System.out.printf(Locale.ROOT, "sample t=%.1f mode=%d offset=%+.6fs delay=%.6fs"
                + " authenticated=%s%n", el(t0), s.mode(), s.offsetSeconds(), s.delaySeconds(),
                s.authenticated());
          });
      System.out.println("listening on " + node.transport().localAddresses() + " and "
          + node.transport().broadcastAddresses());
      long deadline = t0 + timeoutNanos;
      synchronized (lock) {
        while (verified[0] < count && System.nanoTime() < deadline) {
          lock.wait(500);
        }
      }
      node.transport().execute(() -> { });
      System.out.printf(Locale.ROOT, "done: %d broadcasts accepted after the volley (%s), "
          + "rejected %d, chain breaks %d; node %s%n", verified[0],
          Double.isNaN(allFlagsAt[0]) ? "volley never completed"
              : String.format(Locale.ROOT, "all flags at %.1f s", allFlagsAt[0]),
          rejected[0], broken[0], node.stats());
      exit = verified[0] < count ? 2 : rejected[0] > 0 || broken[0] > 0 ? 3 : 0;
    }
    System.exit(exit);
  }

  private static double el(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static AutokeyPacket decode(byte[] p) {
    try {
      return PacketCodec.ntpd().decode(p, 0, p.length);
    } catch (Exception ex) {
      return null;
    }
  }

  private static String fields(byte[] p, int len) {
    try {
      AutokeyPacket pkt = PacketCodec.ntpd().decode(p, 0, len);
      StringBuilder sb = new StringBuilder("fields=[");
      for (ExtensionField f : pkt.fields()) {
        sb.append(f.opcode()).append(f.isResponse() ? " resp " : " req ");
      }
      return sb.append("] keyid=").append(pkt.mac().map(m -> String.format(Locale.ROOT, "%08x",
          m.keyId())).orElse("none")).toString();
    } catch (Exception ex) {
      return "undecodable: " + ex.getMessage();
    }
  }
}
