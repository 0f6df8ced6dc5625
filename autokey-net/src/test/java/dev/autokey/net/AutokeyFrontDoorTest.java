package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The front door's builders, {@link AutokeyClient#close()} and the status snapshots. The full
 * exchange over UDP is {@link FrontDoorReadmeTest}; here the client's server is a socket that
 * never answers (its requests are counted by the client itself), or a TC server for the snapshot
 * of a finished exchange. Waits are for events with a 60 s deadline.
 */
class AutokeyFrontDoorTest {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final InetSocketAddress SILENT = new InetSocketAddress("127.0.0.1", 9);
  static CryptoSuite clientKeys;
  static CryptoSuite serverKeys;

  @BeforeAll
  static void keys() throws Exception {
    SecureRandom r = new SecureRandom();
    long now = NtpClock.system().now() >>> 32;
    clientKeys = EphemeralHosts.ordinary("client", now - 60, r).tcSuite(r);
    serverKeys = EphemeralHosts.trusted("server", now - 60, r).tcSuite(r);
  }

  static <T extends Throwable> String message(Class<T> type, Executable e) {
    return assertThrows(type, e).getMessage();
  }

  @Test
  void missingKeyMaterialNamesTheLoader() {
    String m = message(NullPointerException.class,
        () -> AutokeyClient.builder().server(SILENT).build());
    assertTrue(m.contains("no key material") && m.contains("BcCryptoSuite.fromKeysDirectory"), m);
    m = message(NullPointerException.class, () -> AutokeyServer.builder()
        .bind(new InetSocketAddress("127.0.0.1", 0)).build());
    assertTrue(m.contains("no key material"), m);
    assertEquals("keys", message(NullPointerException.class,
        () -> AutokeyClient.builder().keys(null)));
  }

  @Test
  void badServerAddressesAreRefusedWhenGiven() throws Exception {
    AutokeyClient.Builder b = AutokeyClient.builder().keys(clientKeys);
    String m = message(IllegalArgumentException.class,
        () -> b.server(InetSocketAddress.createUnresolved("ntp.example", 123)));
    assertTrue(m.contains("unresolved") && m.contains("ntp.example"), m);
    m = message(IllegalArgumentException.class,
        () -> b.server(new InetSocketAddress("0.0.0.0", 123)));
    assertTrue(m.contains("0.0.0.0") && m.contains("not a unicast host address"), m);
    m = message(IllegalArgumentException.class,
        () -> b.server(new InetSocketAddress("224.0.1.1", 123)));
    assertTrue(m.contains("not a unicast host address"), m);
    m = message(IllegalArgumentException.class,
        () -> b.server(new InetSocketAddress("127.0.0.1", 0)));
    assertTrue(m.contains("port 0"), m);
    m = message(IllegalArgumentException.class, () -> b.server(SILENT).server(SILENT));
    assertTrue(m.contains("given twice"), m);
    assertEquals("server", message(NullPointerException.class, () -> b.server(null)));
    m = message(IllegalArgumentException.class, b::build);
    assertTrue(m.contains("no server"), m);
  }

  @Test
  void badLocalAddressesAreRefused() throws Exception {
    AutokeyClient.Builder b = AutokeyClient.builder().keys(clientKeys).server(SILENT);
    String m = message(IllegalArgumentException.class,
        () -> b.bind(new InetSocketAddress("0.0.0.0", 123)));
    assertTrue(m.contains("wildcard") && m.contains("local address of each datagram"), m);
    m = message(IllegalArgumentException.class,
        () -> b.bind(InetSocketAddress.createUnresolved("host.example", 0)));
    assertTrue(m.contains("unresolved"), m);
    m = message(IllegalArgumentException.class, () -> AutokeyServer.builder().keys(serverKeys)
        .bind(new InetSocketAddress("::", 123)));
    assertTrue(m.contains("wildcard"), m);
    // an IPv6 server with only an IPv4 local address: refused before any socket is opened
    m = message(IllegalArgumentException.class, () -> b.bind(new InetSocketAddress("127.0.0.1",
        0)).server(new InetSocketAddress(InetAddress.getByName("::1"), 123)).build());
    assertTrue(m.contains("IPv6") && m.contains("no local IPv6 address is bound"), m);
    m = message(IllegalArgumentException.class, () -> AutokeyServer.builder().keys(serverKeys)
        .build());
    assertTrue(m.contains("no local address"), m);
  }

  @Test
  void otherOptionsAreCheckedWhenGiven() {
    AutokeyClient.Builder b = AutokeyClient.builder().keys(clientKeys).server(SILENT);
    String m = message(IllegalArgumentException.class, () -> b.digest("md5"));
    assertTrue(m.contains("'MD5'"), m);
    assertTrue(message(IllegalArgumentException.class, () -> b.poll(2)).contains("poll 2"));
    assertTrue(message(IllegalArgumentException.class,
        () -> b.pollInterval(Duration.ofMillis(5))).contains("< 10 ms"));
    assertTrue(message(IllegalArgumentException.class, () -> b.ident("")).contains("ident"));
    m = message(IllegalArgumentException.class,
        () -> b.policy(AutokeyConfig.Policy.STRICT).build());
    assertTrue(m.contains("STRICT") && m.contains("trustAnchor"), m);
    AutokeyServer.Builder s = AutokeyServer.builder().keys(serverKeys);
    assertTrue(message(IllegalArgumentException.class, () -> s.stratum(0)).contains("1..15"));
    assertTrue(message(IllegalArgumentException.class, () -> s.stratum(16)).contains("1..15"));
    assertTrue(message(IllegalArgumentException.class, () -> s.bindAllAddresses(70000))
        .contains("70000"));
  }

  @Test
  void buildersAreImmutable() throws Exception {
    AutokeyClient.Builder empty = AutokeyClient.builder();
    AutokeyClient.Builder withKeys = empty.keys(clientKeys);
    assertNotSame(empty, withKeys);
    AutokeyClient.Builder withServer = withKeys.server(SILENT);
    // the earlier builders are unchanged: no keys, no server
    assertThrows(NullPointerException.class, () -> empty.server(SILENT).build());
    assertTrue(message(IllegalArgumentException.class, withKeys::build).contains("no server"));
    // one builder, two clients
    try (AutokeyClient a = withServer.build(); AutokeyClient b = withServer.build()) {
      assertFalse(a.localAddresses().equals(b.localAddresses()));
    }
  }

  @Test
  void closeReleasesTheLocalPort() throws Exception {
    AutokeyClient.Builder b = AutokeyClient.builder().keys(clientKeys).server(SILENT)
        .pollInterval(Duration.ofMillis(50));
    AutokeyClient first = b.bind(new InetSocketAddress("127.0.0.1", 0)).build();
    InetSocketAddress port = first.localAddresses().get(0);
    assertTrue(port.getPort() > 0);
    AutokeyClient.Builder again = b.bind(port);
    // while the first client runs, its port is taken
    assertThrows(UncheckedIOException.class, again::build);
    assertTrue(first.await(s -> s.servers().get(0).sent() >= 2, DEADLINE).isPresent());
    first.close();
    first.close(); // idempotent
    try (AutokeyClient second = again.build()) {
      assertEquals(List.of(port), second.localAddresses());
      assertTrue(second.await(s -> s.servers().get(0).sent() >= 1, DEADLINE).isPresent());
    }
    // the same holds for the server
    AutokeyServer server = AutokeyServer.builder().keys(serverKeys)
        .bind(new InetSocketAddress("127.0.0.1", 0)).build();
    InetSocketAddress sp = server.addresses().get(0);
    server.close();
    try (DatagramSocket s = new DatagramSocket(sp)) {
      assertEquals(sp.getPort(), s.getLocalPort());
    }
  }

  @Test
  void statusBeforeAnyAnswerAndAfterClose() throws Exception {
    List<TimeSample> samples = new CopyOnWriteArrayList<>();
    AutokeyClient c = AutokeyClient.builder().keys(clientKeys).server(SILENT)
        .pollInterval(Duration.ofMillis(50)).onSample(samples::add).build();
    try {
      AutokeyClientStatus st = c.await(s -> s.servers().get(0).sent() >= 3, DEADLINE)
          .orElseThrow();
      assertFalse(st.synchronised());
      assertFalse(st.allFlags());
      assertEquals(0, st.samples());
      AutokeyClientStatus.Server s = st.server(SILENT).orElseThrow();
      assertEquals(SILENT, s.server());
      assertEquals(c.localAddresses().get(0), s.local());
      assertTrue(s.lit().isEmpty(), s.toString());
      assertTrue(s.trail().isEmpty() && s.lastSample().isEmpty(), s.toString());
      assertEquals(0, s.received());
      assertTrue(s.lastKeyId() != 0, s.toString());
      assertThrows(UnsupportedOperationException.class, () -> st.servers().clear());
      assertThrows(UnsupportedOperationException.class, () -> s.lit().add(HostStatus.Flag.CERT));
    } finally {
      c.close();
    }
    // a closed client answers await at once and keeps its last status
    assertEquals(Optional.empty(), c.await(s -> false, DEADLINE));
    assertTrue(c.status().servers().get(0).sent() >= 3);
    assertTrue(samples.isEmpty());
  }

  @Test
  void statusOfACompleteTcExchange() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> packets = new CopyOnWriteArrayList<>();
    try (AutokeyServer server = AutokeyServer.builder().keys(serverKeys).stratum(3)
            .bind(new InetSocketAddress("127.0.0.1", 0)).build();
        AutokeyClient client = AutokeyClient.builder().keys(clientKeys)
            .server(server.addresses().get(0)).pollInterval(Duration.ofMillis(50))
            .onEvent(e -> events.add(e.type() + " " + e.text()))
            .onPacket(new PacketListener() {
              @Override
              public void sent(java.nio.ByteBuffer d, InetSocketAddress l, InetSocketAddress r) {
                packets.add("sent " + d.remaining());
              }

              @Override
              public void judged(Datagram d, Verdict verdict) {
                packets.add("judged " + verdict.kind());
              }
            }).build()) {
      AutokeyClientStatus st = client.await(s -> s.allFlags() && s.samples() >= 2, DEADLINE)
          .orElseThrow(() -> new AssertionError(client.status() + " " + events));
      AutokeyClientStatus.Server s = st.servers().get(0);
      assertEquals(AutokeyClientStatus.PROGRESS_FLAGS.size(), s.lit().size());
      assertEquals("server", s.trail().get(0).subject());
      assertEquals(3, s.lastSample().orElseThrow().stratum());
      assertTrue(st.synchronised());
      assertTrue(events.stream().anyMatch(e -> e.startsWith("FLAG_LIT")), events.toString());
      assertTrue(packets.contains("judged ACCEPTED") && packets.get(0).startsWith("sent "),
          packets.toString());
      assertFalse(packets.contains("judged REJECTED"), packets.toString());
      AutokeyServer.Stats stats = server.stats();
      // the server counts a reply once the kernel took it, so the client may already hold the
      // last one; every earlier reply was counted before the server read the next request
      assertTrue(stats.requests() >= s.received() && stats.replies() >= s.received() - 1,
          stats + " " + s);
      assertEquals("server", server.hostName());
    }
  }
}
