package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Jazzer fuzz test of the NTP receive path ({@link NtpNode#dispatch}: header checks, client,
 * symmetric, server and broadcast handling). The first input byte selects the sender (bit 0:
 * the client association's server, else a stranger; bit 1: patch the origin timestamp so the
 * packet passes the bogus check and reaches the sample code; bit 2: arrived on a broadcast
 * socket). Regression seeds: every captured ntpd payload of four reference runs, under
 * {@code src/test/resources/dev/autokey/net/NtpNodeFuzzTestInputs/receive/}.
 */
class NtpNodeFuzzTest {
  private static final class Fixture {
    final NtpNode node;
    final NtpAssociation client;
    final NtpAssociation peer;
    final InetSocketAddress local;
    final InetSocketAddress server;
    final InetSocketAddress stranger;

    Fixture() throws UnknownHostException {
      InetAddress lo = InetAddress.getByName("127.0.0.1");
      node = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
          .timeSource(TimeSource.localClock(NtpClock.system(), 3))
          .serve(ServerAuthenticator.none()).answerSymmetric(true).build();
      node.broadcastClient(s -> PacketAuthenticator.none(), Duration.ZERO, s -> { });
      local = node.transport().localAddresses().get(0);
      // discard port 9 on loopback: requests go nowhere
      server = new InetSocketAddress(lo, 9);
      stranger = new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 4242);
      client = node.client(server, AssociationOptions.builder()
          .interval(Duration.ofHours(1)).build());
      peer = node.peer(new InetSocketAddress(lo, 10), AssociationOptions.builder()
          .interval(Duration.ofHours(1)).build());
    }
  }

  private static Fixture fixture;

  private static synchronized Fixture fixture() throws UnknownHostException {
    if (fixture == null) {
      fixture = new Fixture();
    }
    return fixture;
  }

  @FuzzTest(maxDuration = "10m")
  void receive(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    Fixture f = fixture();
    int sel = input[0];
    byte[] payload = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + 2200));
    CompletableFuture<Void> done = new CompletableFuture<>();
    f.node.transport().execute(() -> {
      try {
        NtpAssociation target = (sel & 8) != 0 ? f.peer : f.client;
        if ((sel & 2) != 0 && payload.length >= 32) {
          ByteBuffer.wrap(payload).putLong(24, target.pendingOrigin());
        }
        InetSocketAddress src = (sel & 1) != 0 ? target.remote() : f.stranger;
        long before = f.node.stats().requests();
        f.node.dispatch(Datagram.of(payload, src, f.local, (sel & 4) != 0,
            NtpClock.system().now()));
        long answered = f.node.stats().requests() - before;
        // a request is answered at most once, and only a client/active-mode unicast packet
        assertTrue(answered == 0 || answered == 1);
        if (answered == 1) {
          int mode = payload[0] & 7;
          assertTrue(mode == 3 || mode == 1, "answered mode " + mode);
          assertEquals(0, sel & 4, "answered a broadcast-socket packet");
        }
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.get(120, TimeUnit.SECONDS); // the loop thread ran the task (a deadline, not a window)
  }
}
