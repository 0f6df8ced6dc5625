package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.crypto.BcSymmetricMacs;
import dev.autokey.crypto.keygen.SymmetricKeysFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Symmetric-key (AUTH) client and server over UDP on loopback, keys through our keys file. Waits
 * are for events with a generous deadline, never for a fixed time.
 */
class SymmetricKeyLoopbackTest {
  static final long DEADLINE_SECONDS = 120;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Keys as our writer writes them and ntpd's grammar reads them back. */
  private static SymmetricKeyAuth auth(List<SymmetricKey> keys, int trusted) throws Exception {
    StringBuilder file = new StringBuilder();
    for (SymmetricKey k : keys) {
      file.append(SymmetricKeysFile.line(k));
    }
    List<SymmetricKey> read = SymmetricKeysFile.parse(
        file.toString().getBytes(StandardCharsets.US_ASCII), CryptoWarningListener.IGNORE);
    return SymmetricKeyAuth.create(read, Set.of(trusted), BcSymmetricMacs.INSTANCE);
  }

  private static SymmetricKey key(int id, String type) {
    byte[] s = new byte[type.equals("MD5") ? 16 : type.equals("AES128CMAC") ? 16 : 20];
    if (type.equals("MD5")) {
      for (int i = 0; i < s.length; i++) {
        s[i] = (byte) ('a' + RANDOM.nextInt(26));
      }
    } else {
      RANDOM.nextBytes(s);
    }
    return new SymmetricKey(id, type, s, List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MD5", "SHA1", "AES128CMAC"})
  void clientTakesAuthenticatedSamplesFromServer(String type) throws Exception {
    int id = 7;
    List<SymmetricKey> keys = List.of(key(id, type), key(8, "MD5"));
    SymmetricKeyResponderAuthenticator srv =
        new SymmetricKeyResponderAuthenticator(auth(keys, id), true);
    SymmetricKeyAuthenticator cli = new SymmetricKeyAuthenticator(auth(keys, id), id);
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(NtpClock.system(), 2)).serve(srv).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build()) {
      client.client(server.transport().localAddresses().get(0), AssociationOptions.builder()
          .interval(Duration.ofMillis(50)).authenticator(cli).listener(samples::add).build());
      for (int i = 0; i < 4; i++) {
        TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s, "sample " + i + " " + cli.stats() + " " + srv.stats());
        assertTrue(s.authenticated());
        assertEquals(2, s.stratum());
      }
    }
    assertEquals(0, cli.stats().rejected(), cli.stats().toString());
    assertTrue(srv.stats().authentic() >= 4, srv.stats().toString());
    assertEquals(0, srv.stats().cryptoNaks());
  }

  /** The control: a client whose key 7 has another value gets crypto-NAKs and no sample. */
  @Test
  void wrongKeyValueGetsCryptoNaksAndNoSample() throws Exception {
    SymmetricKeyResponderAuthenticator srv =
        new SymmetricKeyResponderAuthenticator(auth(List.of(key(7, "MD5")), 7), false);
    SymmetricKeyAuthenticator cli = new SymmetricKeyAuthenticator(auth(List.of(key(7, "MD5")), 7), 7);
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(NtpClock.system(), 2)).serve(srv).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build()) {
      client.client(server.transport().localAddresses().get(0), AssociationOptions.builder()
          .interval(Duration.ofMillis(50)).authenticator(cli).listener(samples::add).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (cli.stats().cryptoNaks() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    // both nodes are closed: everything sent was handled
    assertTrue(samples.isEmpty(), "no sample: " + samples);
    assertTrue(cli.stats().cryptoNaks() >= 4, cli.stats().toString());
    assertEquals(0, cli.stats().authentic());
    assertEquals(0, srv.stats().authentic());
  }

  @Test
  void replyWithAnotherTrustedKeyIsRejected() throws Exception {
    List<SymmetricKey> keys = List.of(key(1, "MD5"), key(2, "SHA1"));
    SymmetricKeyAuth both = SymmetricKeyAuth.create(keys, Set.of(1, 2), BcSymmetricMacs.INSTANCE);
    SymmetricKeyAuthenticator cli = new SymmetricKeyAuthenticator(both, 1);
    byte[] reply = both.seal(dev.autokey.core.wire.NtpHeader.builder().version(4).mode(4)
        .stratum(2).transmitTimestamp(1L << 40).build(), 2);
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", 123);
    Verdict r = cli.open(Datagram.of(reply, a, a, false, 0));
    assertEquals(Verdict.Kind.REJECTED, r.kind());
    assertEquals(Verdict.Cause.BAD_KEY_ID, r.cause());
    assertTrue(r.detail().contains("wanted key 1"), r.detail());
    byte[] good = both.seal(dev.autokey.core.wire.NtpHeader.builder().version(4).mode(4)
        .stratum(2).transmitTimestamp(1L << 40).build(), 1);
    assertTrue(cli.open(Datagram.of(good, a, a, false, 0)).usableForTime());
    good[60] ^= 1;
    Verdict bad = cli.open(Datagram.of(good, a, a, false, 0));
    assertEquals(Verdict.Kind.REJECTED, bad.kind());
    assertEquals(Verdict.Cause.BAD_MAC, bad.cause());
    assertThrows(IllegalArgumentException.class, () -> new SymmetricKeyAuthenticator(both, 3));
  }
}
