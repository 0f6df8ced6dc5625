package dev.autokey.crypto.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityServer;
import java.math.BigInteger;

/**
 * Fuzz targets for every decoder of attacker-supplied identity values: the server's challenge
 * reader, the clients' response decoders and the bounded DER parser. The only acceptable
 * failure is an {@link AutokeyException}. Seeds are the challenge and response values of the
 * captured ntpd exchanges (testdata/captures/*-client*), in {@code IdentityFuzzTestInputs/}.
 */
class IdentityFuzzTest {
  private static final IdentityServer IFF = Groups.IFF.server();
  private static final IdentityServer GQ = Groups.GQ.server();
  private static final IdentityServer MV = Groups.MV.serverKey().server();
  private static final IdentityClient IFF_C = Groups.IFF.parameters().client();
  private static final IdentityClient GQ_C = Groups.GQ.parameters().client(Groups.GQ.v());
  private static final IdentityClient MV_C = Groups.MV.clientKey(1).client();
  private static final IdentityChallenge IFF_R = IFF_C.challenge(Groups.random(11));
  private static final IdentityChallenge GQ_R = GQ_C.challenge(Groups.random(12));
  private static final IdentityChallenge MV_R = MV_C.challenge(Groups.random(13));

  private static void respond(IdentityServer s, byte[] input) {
    try {
      s.respond(input, Groups.random(input.length));
    } catch (AutokeyException expected) {
      // rejected with an XEVNT code: fine
    }
  }

  private static void verify(IdentityClient c, IdentityChallenge r, byte[] input) {
    try {
      c.verify(r, input, c.filestamp());
    } catch (AutokeyException expected) {
      // rejected with an XEVNT code: fine
    }
  }

  @FuzzTest(maxDuration = "30s")
  void serverRespondIFF(byte[] input) {
    respond(IFF, input);
  }

  @FuzzTest(maxDuration = "30s")
  void serverRespondGQ(byte[] input) {
    respond(GQ, input);
  }

  @FuzzTest(maxDuration = "30s")
  void serverRespondMV(byte[] input) {
    respond(MV, input);
  }

  @FuzzTest(maxDuration = "30s")
  void clientVerifyIFF(byte[] input) {
    verify(IFF_C, IFF_R, input);
  }

  @FuzzTest(maxDuration = "30s")
  void clientVerifyGQ(byte[] input) {
    verify(GQ_C, GQ_R, input);
  }

  @FuzzTest(maxDuration = "30s")
  void clientVerifyMV(byte[] input) {
    verify(MV_C, MV_R, input);
  }

  @FuzzTest(maxDuration = "30s")
  void derDecode(byte[] input) {
    for (int[] limits : new int[][] {{65, 17}, {33, 33, 33}, {257, 17}}) {
      try {
        BigInteger[] v = Der.decodeIntegers(input, "fuzz", limits);
        assertArrayEquals(input, Der.encodeIntegers(v), "accepted DER must be canonical");
      } catch (AutokeyException expected) {
        // rejected: fine
      }
    }
  }
}
