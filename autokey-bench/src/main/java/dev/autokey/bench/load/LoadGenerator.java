package dev.autokey.bench.load;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./autokey load}: a closed-loop load generator of authenticated plain Autokey client
 * requests (mode 3, 48-byte header + MAC keyed with the cookie the server gives this client
 * address) that counts the valid replies per second of any Autokey server, ntpd or ours.
 *
 * <p>First the cookie: by default a real Autokey exchange with the library's client engine
 * (ASSOC, CERT, [identity,] COOK; {@link CookieHandshake}), so every server is treated the same
 * whatever its private value; {@code --cookie ntpd} instead computes ntpd 4.2.8p15's cookie from
 * the addresses (private value 0), for a server that cannot do the exchange. Then warm-up and
 * measurement with the same closed loop ({@link LoadRun}): {@code --sockets} sockets, each with
 * at most {@code --window} requests outstanding, bounded by {@code --seconds} and {@code
 * --count}; every reply is checked (mode 4, origin, key ID, MAC under the server's session key)
 * and only valid replies count. Exit status 0 when at least one valid reply was counted and no
 * reply failed a check, else 1; 2 on bad usage.
 *
 * <pre>
 * --server ADDR        server address (required)
 * --port N             server port (123)
 * --local ADDR         client address to bind (default: the one the system routes from)
 * --keys DIR --host H --password PW [--ident G]
 *                      client key folder (ntp-keygen layout) for the exchange; without --keys an
 *                      ephemeral TC client host key and certificate are generated in memory
 * --digest NAME        session digest, as the server's crypto digest (MD5)
 * --cookie handshake|ntpd
 * --sockets N          client sockets (4)
 * --window N           outstanding requests per socket (16)
 * --warmup S           warm-up seconds (3)
 * --seconds S          measurement seconds (5)
 * --count N            at most N requests in the measurement (5000000)
 * --timeout-ms N       a request without reply after N ms is lost (1000)
 * --server-pid PID     sample the server process's CPU time from /proc (same machine)
 * --label NAME         name printed with the result
 * --out FILE           write the figures as key=value lines
 * </pre>
 */
public final class LoadGenerator {
  private static final String USAGE = "usage: ./autokey load --server ADDR [--port 123]"
      + " [--local ADDR] [--keys DIR --host H --password PW [--ident G]] [--digest MD5]"
      + " [--cookie handshake|ntpd] [--sockets 4] [--window 16] [--warmup 3] [--seconds 5]"
      + " [--count 5000000] [--timeout-ms 1000] [--server-pid PID] [--label NAME] [--out FILE]";

  private LoadGenerator() {}

  /** Entry point; see the class description for the options. */
  public static void main(String[] args) throws Exception {
    int status;
    try {
      status = run(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("autokey load: " + e.getMessage());
      System.err.println(USAGE);
      status = 2;
    }
    System.exit(status);
  }

  /** Runs the generator with {@code args}, printing to {@code out}; returns the exit status. */
  static int run(String[] args, PrintStream out) throws IOException, AutokeyException {
    String server = null;
    int port = 123;
    String local = null;
    Path keys = null;
    String host = null;
    String password = null;
    String ident = null;
    String digest = "MD5";
    String cookieMode = "handshake";
    int sockets = 4;
    int window = 16;
    double warmup = 3;
    double seconds = 5;
    long count = 5_000_000;
    long timeoutMs = 1000;
    long serverPid = -1;
    String label = "server";
    Path outFile = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--server" -> server = v;
        case "--port" -> port = bounded(a, v, 1, 65535);
        case "--local" -> local = v;
        case "--keys" -> keys = Paths.get(v);
        case "--host" -> host = v;
        case "--password" -> password = v;
        case "--ident" -> ident = v;
        case "--digest" -> digest = v;
        case "--cookie" -> {
          if (!v.equals("handshake") && !v.equals("ntpd")) {
            throw new IllegalArgumentException("--cookie handshake|ntpd, not " + v);
          }
          cookieMode = v;
        }
        case "--sockets" -> sockets = bounded(a, v, 1, 256);
        case "--window" -> window = bounded(a, v, 1, 4096);
        case "--warmup" -> warmup = boundedSeconds(a, v, 0, 600);
        case "--seconds" -> seconds = boundedSeconds(a, v, 0.1, 600);
        case "--count" -> count = bounded(a, v, 1, 100_000_000);
        case "--timeout-ms" -> timeoutMs = bounded(a, v, 1, 60_000);
        case "--server-pid" -> serverPid = bounded(a, v, 1, Integer.MAX_VALUE);
        case "--label" -> label = v;
        case "--out" -> outFile = Paths.get(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (server == null) {
      throw new IllegalArgumentException("--server is required");
    }
    if (keys != null && (host == null || password == null)) {
      throw new IllegalArgumentException("--keys needs --host and --password");
    }
    InetSocketAddress srv = new InetSocketAddress(InetAddress.getByName(server), port);
    InetAddress client = local != null ? InetAddress.getByName(local) : routedFrom(srv);
    DigestAlgorithm alg = DigestAlgorithm.forOpenSslName(digest);
    SessionKeyEngine engine = SessionKeyEngine.create(alg);
    out.printf(Locale.ROOT, "autokey load [%s]: %s -> %s, %s, %d sockets x window %d, warm-up"
            + " %.1f s, measurement %.1f s or %d requests, timeout %d ms%n", label,
        client.getHostAddress(), srv, alg, sockets, window, warmup, seconds, count, timeoutMs);

    int ntpdCookie = CookieHandshake.ntpdCookie(engine, client, srv.getAddress());
    int cookie;
    String cookieSource;
    if (cookieMode.equals("ntpd")) {
      cookie = ntpdCookie;
      cookieSource = "ntpd formula (private value 0)";
    } else {
      SecureRandom random = new SecureRandom();
      CryptoSuite suite;
      if (keys != null) {
        suite = BcCryptoSuite.fromKeysDirectory(keys, host, ident, password.toCharArray(),
            ident == null ? List.of() : List.of(ident),
            CryptoPolicy.legacy(CryptoWarningListener.IGNORE), random);
      } else {
        long fs = NtpTime.seconds(NtpTime.ofUnixMillis(System.currentTimeMillis())) - 60;
        suite = EphemeralHosts.ordinary("autokey-load", fs, random).tcSuite(random);
      }
      AutokeyConfig.Builder cb = AutokeyConfig.builder().digest(alg.openSslName());
      if (ident != null) {
        cb.ident(ident);
      }
      CookieHandshake.Result h = CookieHandshake.obtain(suite, cb.build(), client, srv,
          Optional.ofNullable(ident), Duration.ofSeconds(20), out);
      cookie = h.cookie();
      cookieSource = String.format(Locale.ROOT, "Autokey exchange, %d exchanges in %.3f s,"
          + " flags 0x%x", h.exchanges(), h.seconds(), h.flags());
    }
    out.printf(Locale.ROOT, "cookie 0x%08x from %s; ntpd's private-value-0 cookie for these"
        + " addresses is 0x%08x (%s)%n", cookie, cookieSource, ntpdCookie,
        cookie == ntpdCookie ? "equal" : "different");

    LoadRun.Params params = new LoadRun.Params(srv, client, sockets, window,
        Duration.ofMillis(Math.round(warmup * 1000)), Duration.ofMillis(Math.round(seconds * 1000)),
        count, Duration.ofMillis(timeoutMs), serverPid);
    LoadResult r = new LoadRun(params, engine, cookie).run(out);
    out.println(r.summary());
    if (outFile != null) {
      StringBuilder sb = new StringBuilder();
      sb.append("label=").append(label).append('\n');
      sb.append("server=").append(srv.getAddress().getHostAddress()).append(':').append(port)
          .append('\n');
      sb.append("client=").append(client.getHostAddress()).append('\n');
      sb.append("digest=").append(alg.openSslName()).append('\n');
      sb.append("cookie=").append(String.format(Locale.ROOT, "%08x", cookie)).append('\n');
      sb.append("cookie_source=").append(cookieMode).append('\n');
      sb.append("cookie_is_ntpd_formula=").append(cookie == ntpdCookie).append('\n');
      for (Map.Entry<String, String> e : r.properties().entrySet()) {
        sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
      Files.writeString(outFile, sb.toString(), StandardCharsets.UTF_8);
    }
    boolean ok = r.valid() > 0 && r.invalid() == 0 && r.warmupInvalid() == 0
        && r.cryptoNaks() == 0;
    out.println(ok ? "RESULT ok" : "RESULT FAILED: no valid reply, or replies failed a check");
    return ok ? 0 : 1;
  }

  /** The local address the system would send from to reach {@code server}. */
  private static InetAddress routedFrom(InetSocketAddress server) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(server);
      return s.getLocalAddress();
    }
  }

  private static int bounded(String opt, String v, long min, long max) {
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(opt + " " + n + " outside [" + min + ", " + max + "]");
    }
    return (int) n;
  }

  private static double boundedSeconds(String opt, String v, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number of seconds, not '" + v + "'");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException(opt + " " + v + " outside [" + min + ", " + max + "]");
    }
    return d;
  }
}
