package dev.autokey.interop;

import dev.autokey.net.AssociationOptions;
import dev.autokey.net.NtpAssociation;
import dev.autokey.net.NtpNode;
import dev.autokey.net.TimeSample;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The autokey-net client as a separate JVM inside a namespace: {@code NetClientMain LOCAL SERVER
 * COUNT INTERVAL_MS} binds LOCAL, polls SERVER:123 and prints every usable sample (one line
 * {@code sample ...}); exits 0 after COUNT samples, 2 if they do not come within
 * COUNT × interval + 30 s.
 */
public final class NetClientMain {
  private NetClientMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    InetAddress local = InetAddress.getByName(args[0]);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(args[1]), 123);
    int count = Integer.parseInt(args[2]);
    long intervalMs = Long.parseLong(args[3]);
    LinkedBlockingQueue<TimeSample> q = new LinkedBlockingQueue<>();
    long t0 = System.nanoTime();
    try (NtpNode node = NtpNode.builder().bind(new InetSocketAddress(local, 0)).build()) {
      NtpAssociation a = node.client(server, AssociationOptions.builder().poll(3)
          .interval(Duration.ofMillis(intervalMs)).listener(q::add).build());
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(count * intervalMs + 30_000);
      for (int i = 0; i < count; i++) {
        TimeSample s = q.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) {
          System.out.println("timeout after " + i + " samples; " + a.stats());
          System.exit(2);
        }
        System.out.printf(Locale.ROOT,
            "sample %d t=%.2fs offset=%+.6fs delay=%.6fs mode=%d stratum=%d refid=%08x leap=%d "
                + "source=%s local=%s%n", i, (System.nanoTime() - t0) / 1e9, s.offsetSeconds(),
            s.delaySeconds(), s.mode(), s.stratum(), s.referenceId(), s.leap(),
            IpFamily.literal(s.source().getAddress()), IpFamily.literal(s.local().getAddress()));
      }
      System.out.println("stats " + a.stats());
    }
    System.exit(0);
  }
}
