package dev.autokey.interop;

import dev.autokey.net.AssociationOptions;
import dev.autokey.net.NtpAssociation;
import dev.autokey.net.NtpNode;
import dev.autokey.net.SymmetricKeyAuthenticator;
import dev.autokey.net.TimeSample;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Java symmetric-key (AUTH) client in a namespace: {@code NetSymmetricKeyClientMain KEYS
 * KEYID LOCAL SERVER COUNT INTERVAL_MS TIMEOUT_S} reads KEYS (an ntp.keys) with our parser, polls
 * SERVER:123 from LOCAL with key KEYID (as ntpd's {@code server SERVER key KEYID}) and prints each
 * authenticated sample; exits 0 after COUNT of them, 2 when they do not come within TIMEOUT_S.
 */
public final class NetSymmetricKeyClientMain {
  private NetSymmetricKeyClientMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    int keyId = Integer.parseInt(args[1]);
    SymmetricKeyAuthenticator auth =
        new SymmetricKeyAuthenticator(SymmetricKeyFiles.read(Paths.get(args[0]), Set.of(keyId)),
            keyId);
    InetAddress local = InetAddress.getByName(args[2]);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(args[3]), 123);
    int count = Integer.parseInt(args[4]);
    long intervalMs = Long.parseLong(args[5]);
    long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[6]));
    LinkedBlockingQueue<TimeSample> q = new LinkedBlockingQueue<>();
    int code = 0;
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(local, 0))
        .rejections((s, l, r) -> System.out.printf(Locale.ROOT, "%.2f s  rejected from %s: %s%n",
            (System.nanoTime() - t0) / 1e9, s, r)).build()) {
      NtpAssociation a = node.client(server, AssociationOptions.builder().poll(3)
          .interval(Duration.ofMillis(intervalMs)).authenticator(auth).listener(q::add).build());
      for (int i = 1; i <= count; i++) {
        TimeSample s = q.poll(Math.max(1, t0 + timeoutNanos - System.nanoTime()),
            TimeUnit.NANOSECONDS);
        if (s == null) {
          System.out.println("timeout after " + (i - 1) + " authenticated samples");
          code = 2;
          break;
        }
        System.out.printf(Locale.ROOT,
            "%.2f s  authenticated sample %d: key %d offset=%+.6fs delay=%.6fs stratum=%d "
                + "authenticated=%b%n", (System.nanoTime() - t0) / 1e9, i, keyId,
            s.offsetSeconds(), s.delaySeconds(), s.stratum(), s.authenticated());
        if (!s.authenticated()) {
          code = 3;
        }
      }
      System.out.println("association " + a.stats());
      System.out.println("authenticator " + auth.stats());
    }
    System.exit(code);
  }
}
