package dev.autokey.demo;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.Opcode;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import dev.autokey.net.AutokeyClient;
import dev.autokey.net.AutokeyClientStatus;
import dev.autokey.net.AutokeyServer;
import dev.autokey.net.Datagram;
import dev.autokey.net.NtpClock;
import dev.autokey.net.PacketListener;
import dev.autokey.net.TimeSample;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./autokey demo}: by default a Java Autokey server and a Java client on loopback, with
 * fresh IFF group keys generated in-process (nothing to prepare); with {@code --ntpd ADDRESS}
 * only the client, talking to that ntpd. Prints each protocol step as it happens (seconds since
 * start, direction, message, datagram size), the flags as they light up, then authenticated time
 * samples; exits 0 when all flags are lit and the samples came, 1 otherwise, 2 on bad usage.
 */
public final class Demo {
  private Demo() {}

  static final String USAGE = String.join("\n",
      "usage: ./autokey demo [options]",
      "  (no options)         Java server and client on 127.0.0.1, fresh IFF group key 'demo'",
      "  --ntpd ADDR[:PORT]   be only the client of the ntpd at ADDR (default port 123)",
      "  --keys DIR           client credentials from an ntp-keygen keys folder (with --host)",
      "  --host NAME          the client's host name in DIR (ntpkey_host_NAME ...)",
      "  --password PW        password of the key files (default: none)",
      "  --ident GROUP        the server's group (identity parameters ntpkey_<scheme>par_GROUP)",
      "  --digest NAME        session digest (crypto digest NAME; default MD5, e.g. SHA1)",
      "  --samples N          authenticated samples to wait for after all flags (default 4)",
      "  --interval MS        time between requests (default 500; 2000 with --ntpd)",
      "  --timeout S          give up after S seconds (default 60; 180 with --ntpd)",
      "  --ipv6               loopback demo on ::1 instead of 127.0.0.1");

  /** Entry point. */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out);
    } catch (Exception e) {
      System.out.println("autokey demo: " + e);
      code = 1;
    }
    System.exit(code);
  }

  /** Options. */
  record Options(String ntpd, Path keys, String host, char[] password, String ident, int samples,
      long intervalMs, long timeoutS, boolean ipv6, String digest) {}

  static Options parse(String[] args) {
    String ntpd = null;
    Path keys = null;
    String host = null;
    char[] pw = null;
    String ident = null;
    int samples = 4;
    long interval = -1;
    long timeout = -1;
    boolean ipv6 = false;
    String digest = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--ipv6")) {
        ipv6 = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--ntpd": ntpd = v; break;
        case "--keys": keys = Paths.get(v); break;
        case "--host": host = v; break;
        case "--password": pw = v.toCharArray(); break;
        case "--ident": ident = v; break;
        case "--digest": digest = v; break;
        case "--samples": samples = Integer.parseInt(v); break;
        case "--interval": interval = Long.parseLong(v); break;
        case "--timeout": timeout = Long.parseLong(v); break;
        default: throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (keys != null && host == null) {
      throw new IllegalArgumentException("--keys needs --host");
    }
    if (samples < 1 || samples > 1000) {
      throw new IllegalArgumentException("--samples must be 1..1000");
    }
    if (interval == -1) {
      interval = ntpd != null ? 2000 : 500;
    }
    if (interval < 50) {
      throw new IllegalArgumentException("--interval must be at least 50 ms");
    }
    if (timeout == -1) {
      timeout = ntpd != null ? 180 : 60;
    }
    return new Options(ntpd, keys, host, pw, ident, samples, interval, timeout, ipv6, digest);
  }

  /** Runs the demo, printing to {@code out}; returns the exit code. */
  public static int run(String[] args, PrintStream out) throws Exception {
    if (args.length == 1 && (args[0].equals("--usage") || args[0].equals("--help"))) {
      out.println(USAGE);
      return 0;
    }
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      out.println("autokey demo: " + e.getMessage());
      out.println(USAGE);
      return 2;
    }
    return new Session(o, out).run();
  }

  private static final class Session {
    final Options o;
    final PrintStream out;
    final long t0 = System.nanoTime();
    final NtpClock clock = NtpClock.system();
    final SecureRandom random = new SecureRandom();

    Session(Options o, PrintStream out) {
      this.o = o;
      this.out = out;
    }

    synchronized void say(String fmt, Object... args) {
      out.printf(Locale.ROOT, "%8.3f s  %s%n", (System.nanoTime() - t0) / 1e9,
          String.format(Locale.ROOT, fmt, args));
    }

    int run() throws Exception {
      out.println("autokey demo: NTP Autokey v2 (RFC 5906) over UDP, byte-compatible with ntpd "
          + "4.2.8p15");
      InetSocketAddress serverAddress;
      AutokeyServer server = null;
      AutokeyClient client = null;
      CryptoSuite clientSuite;
      String ident = o.ident();
      long nowSec = clock.now() >>> 32;
      try {
        if (o.ntpd() == null) {
          InetAddress local = InetAddress.getByName(o.ipv6() ? "::1" : "127.0.0.1");
          String group = "demo";
          ident = group;
          long g0 = System.nanoTime();
          IffKey iff = IffKey.generate(IffKey.DEFAULT_P_BITS, random, nowSec);
          EphemeralHosts.Host alice = EphemeralHosts.trusted("alice", nowSec - 60, random);
          EphemeralHosts.Host bob = EphemeralHosts.ordinary("bob", nowSec - 60, random);
          say("generated in-process: IFF group key '%s' (p %d bits, q %d bits), host keys and "
              + "certificates for server 'alice' (trusted, -T) and client 'bob' (RSA-512) in "
              + "%.2f s", group, iff.p().bitLength(), iff.q().bitLength(),
              (System.nanoTime() - g0) / 1e9);
          clientSuite = bob.suite(random).iffParameters(group, iff.parameters()).build();
          server = AutokeyServer.builder().keys(alice.suite(random).iffKey(iff).build())
              .ident(group).bind(new InetSocketAddress(local, 0)).stratum(2).clock(clock)
              .random(random).threadName("demo-server").onEvent(e -> event("server", e))
              .build();
          serverAddress = server.addresses().get(0);
          say("server 'alice' answers on %s (stratum 2 from the local clock; the clock is "
              + "never set)", serverAddress);
        } else {
          serverAddress = parseAddress(o.ntpd());
          if (o.keys() != null) {
            clientSuite = BcCryptoSuite.fromKeysDirectory(o.keys(), o.host(), o.ident(),
                o.password() == null ? new char[0] : o.password(),
                o.ident() == null ? List.of() : List.of(o.ident()),
                CryptoPolicy.legacy(CryptoWarningListener.IGNORE), random);
            say("client credentials '%s' read from %s", o.host(), o.keys());
          } else {
            EphemeralHosts.Host c = EphemeralHosts.ordinary("autokey-demo", nowSec - 60, random);
            clientSuite = c.tcSuite(random);
            say("no --keys: fresh client host key and certificate 'autokey-demo' (works with a "
                + "TC server; IFF/GQ/MV need the group's parameters via --keys)");
          }
        }
        LinkedBlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
        AutokeyClient.Builder cb = AutokeyClient.builder().keys(clientSuite)
            .server(serverAddress).poll(3).pollInterval(Duration.ofMillis(o.intervalMs()))
            .clock(clock).random(random).threadName("demo-client")
            .onEvent(e -> event("client", e)).onPacket(new Steps()).onSample(samples::add);
        if (ident != null) {
          cb = cb.ident(ident);
        }
        if (o.digest() != null) {
          cb = cb.digest(o.digest());
        }
        synchronized (this) { // the client's first steps (say, on its thread) wait for these lines
          client = cb.build();
          InetSocketAddress from = client.localAddresses().get(0);
          if (o.ntpd() != null) {
            say("client of ntpd at %s from %s", serverAddress, from.getAddress().getHostAddress());
          }
          say("client 'bob' polls from %s every %d ms (header poll 3)", from, o.intervalMs());
        }
        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.timeoutS());
        Optional<AutokeyClientStatus> lit = client.await(AutokeyClientStatus::allFlags,
            Duration.ofNanos(deadline - System.nanoTime()));
        if (lit.isEmpty()) {
          AutokeyClientStatus.Server s = client.status().servers().get(0);
          say("FAILED: flags 0x%08x after %d s (%s)", s.flags(), o.timeoutS(), s);
          return 1;
        }
        AutokeyClientStatus.Server a = lit.get().servers().get(0);
        say("ALL FLAGS lit: CERT VRFY PROV COOK AUTO SIGN LEAP (status word 0x%08x); trail %s",
            a.flags(), a.trail().size() + " certificate(s)");
        samples.clear();
        int got = 0;
        while (got < o.samples()) {
          long left = deadline - System.nanoTime();
          TimeSample s = left > 0 ? samples.poll(left, TimeUnit.NANOSECONDS) : null;
          if (s == null) {
            say("FAILED: %d of %d authenticated samples before the timeout", got, o.samples());
            return 1;
          }
          got++;
          say("sample %d: offset %+.6f s, delay %.6f s, stratum %d (authenticated, key ID "
              + "0x%08x)", got, s.offsetSeconds(), s.delaySeconds(), s.stratum(),
              client.status().servers().get(0).lastKeyId());
        }
        say("done: %d authenticated samples; the caller feeds them to its own discipline",
            got);
        return 0;
      } finally {
        if (client != null) {
          client.close();
        }
        if (server != null) {
          server.close();
        }
      }
    }

    void event(String side, ProtocolEvent e) {
      switch (e.type()) {
        case FLAG_LIT:
        case ERROR:
        case RESTART:
        case CERTIFICATE_INSTALLED:
          say("%s: %s", side, e.text());
          break;
        default:
          break;
      }
    }

    /** Prints each extension field going out and coming in, with datagram sizes. */
    private final class Steps implements PacketListener {
      @Override
      public void sent(ByteBuffer datagram, InetSocketAddress local, InetSocketAddress remote) {
        String f = field(datagram, datagram.limit());
        if (f != null) {
          say("client -> server  %-16s %4d B", f, datagram.limit());
        }
      }

      @Override
      public void received(Datagram d) {
        String f = field(d.payload(), d.length());
        if (f != null) {
          say("server -> client  %-16s %4d B", f, d.length());
        }
      }

      @Override
      public void judged(Datagram d, Verdict r) {
        if (r.kind() == Verdict.Kind.REJECTED) {
          say("server -> client  %4d B REJECTED %s %s", d.length(), r.event(), r.detail());
        }
      }
    }
  }

  /** "CERT request", "COOK response", ... for the first extension field, or null. */
  static String field(ByteBuffer p, int len) {
    if (len <= 48 + 24) {
      return null;
    }
    int w = p.getInt(48);
    String name = Opcode.valueOf((w >>> 16) & 0xFF).name();
    String kind = (w & 0x80000000) != 0 ? "response" : "request";
    return name + " " + kind + ((w & 0x40000000) != 0 ? " (error)" : "");
  }

  static InetSocketAddress parseAddress(String s) throws Exception {
    String host = s;
    int port = 123;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      host = s.substring(1, end);
      if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
        port = Integer.parseInt(s.substring(end + 2));
      }
    } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
    }
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }
}
