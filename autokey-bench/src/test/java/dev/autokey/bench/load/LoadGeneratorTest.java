package dev.autokey.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a minimal in-test UDP server around the library's stateless
 * {@code ServerResponder} on 127.0.0.1: the cookie exchange, counting, and that a server whose
 * replies do not verify is reported as such (exit 1, no valid reply counted).
 */
class LoadGeneratorTest {
  /** A one-thread UDP server answering with ServerResponder; {@code tamper} edits each reply. */
  private static final class Server implements AutoCloseable {
    final DatagramChannel ch;
    final Thread thread;
    final AtomicLong answered = new AtomicLong();
    volatile boolean stop;

    Server(UnaryOperator<byte[]> tamper) throws Exception {
      SecureRandom random = new SecureRandom();
      long now = NtpTime.ofUnixMillis(System.currentTimeMillis());
      long fs = NtpTime.seconds(now) - 60;
      AutokeyHost host = AutokeyHost.create(AutokeyConfig.defaults(),
          EphemeralHosts.trusted("server", fs, random).tcSuite(random), random,
          ProtocolEventListener.NONE);
      host.setSynchronised(true, now);
      ch = DatagramChannel.open();
      ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetAddress local = InetAddress.getLoopbackAddress();
      thread = new Thread(() -> {
        ByteBuffer b = ByteBuffer.allocate(2121);
        try {
          while (!stop) {
            b.clear();
            SocketAddress from = ch.receive(b);
            int n = b.position();
            byte[] req = b.array();
            long t = NtpTime.ofUnixMillis(System.currentTimeMillis());
            NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_SERVER).stratum(2)
                .poll(6).originTimestamp(NtpHeader.view(req, 0).transmitTimestamp())
                .receiveTimestamp(t).transmitTimestamp(t).build();
            ServerResponse r = host.responder().respond(req, 0, n,
                ((InetSocketAddress) from).getAddress(), local, t, h);
            if (r.kind() == ServerResponse.Kind.DROP) {
              continue;
            }
            byte[] d = r.datagram();
            if (r.kind() == ServerResponse.Kind.REPLY && n == NtpHeader.LENGTH + 20) {
              d = tamper.apply(d);
            }
            ch.send(ByteBuffer.wrap(d), from);
            answered.incrementAndGet();
          }
        } catch (java.nio.channels.ClosedChannelException e) {
          // closed by close(): done
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "load-test-server");
      thread.start();
    }

    int port() throws Exception {
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Override
    public void close() throws Exception {
      stop = true;
      ch.close();
      thread.join(5000);
    }
  }

  private static Map<String, String> read(Path file) throws Exception {
    Map<String, String> m = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }

  private static String[] args(int port, Path out) {
    return new String[] {"--server", "127.0.0.1", "--port", Integer.toString(port), "--sockets",
        "2", "--window", "4", "--warmup", "0.3", "--seconds", "0.7", "--count", "100000",
        "--label", "test", "--out", out.toString()};
  }

  @Test
  void countsVerifiedRepliesAfterAnAutokeyCookieExchange(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("load.txt");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status;
    try (Server s = new Server(UnaryOperator.identity())) {
      status = LoadGenerator.run(args(s.port(), out), new PrintStream(log, true, "UTF-8"));
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    Map<String, String> m = read(out);
    long valid = Long.parseLong(m.get("valid"));
    assertTrue(valid > 100, text);
    assertEquals("0", m.get("invalid"), text);
    assertEquals("0", m.get("crypto_naks"), text);
    assertEquals("0", m.get("lost"), text);
    // ours uses a random private value: the cookie is not ntpd's public one
    assertEquals("false", m.get("cookie_is_ntpd_formula"), text);
    assertTrue(text.contains("handshake exchange"), text);
    assertTrue(text.contains("RESULT ok"), text);
  }

  @Test
  void repliesWithABrokenMacAreNeverCounted(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("load.txt");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status;
    try (Server s = new Server(d -> {
      d[d.length - 1] ^= 1;
      return d;
    })) {
      status = LoadGenerator.run(args(s.port(), out), new PrintStream(log, true, "UTF-8"));
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, text);
    Map<String, String> m = read(out);
    assertEquals("0", m.get("valid"), text);
    assertEquals(m.get("invalid"), m.get("bad_mac"), text);
    assertTrue(Long.parseLong(m.get("bad_mac")) > 100, text);
  }

  @Test
  void badUsageIsRefusedBeforeAnyPacket() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> LoadGenerator.run(new String[0], quiet));
    assertTrue(e.getMessage().contains("--server"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.run(new String[] {"--server", "127.0.0.1", "--window", "0"}, quiet));
    assertTrue(e.getMessage().contains("--window 0 outside [1, 4096]"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.run(new String[] {"--server", "127.0.0.1", "--keys", "/k"}, quiet));
    assertTrue(e.getMessage().contains("--host and --password"), e.getMessage());
    assertEquals(0, LoadGenerator.run(new String[] {"--help"}, quiet));
  }

  @Test
  void aWrongCookieGetsCryptoNaksNotReplies(@TempDir Path dir) throws Exception {
    // --cookie ntpd against a server with a random private value: every request is keyed with
    // the wrong cookie, and the server answers with crypto-NAKs
    Path out = dir.resolve("load.txt");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status;
    try (Server s = new Server(UnaryOperator.identity())) {
      String[] a = args(s.port(), out);
      String[] b = java.util.Arrays.copyOf(a, a.length + 2);
      b[a.length] = "--cookie";
      b[a.length + 1] = "ntpd";
      status = LoadGenerator.run(b, new PrintStream(log, true, "UTF-8"));
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, text);
    Map<String, String> m = read(out);
    assertEquals("0", m.get("valid"), text);
    assertTrue(Long.parseLong(m.get("crypto_naks")) > 100, text);
  }
}
