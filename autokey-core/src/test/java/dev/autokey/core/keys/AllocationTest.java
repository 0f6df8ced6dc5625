package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Allocations;
import dev.autokey.core.digest.DigestAlgorithm;
import org.junit.jupiter.api.Test;

/**
 * The steady-state path allocates nothing: derive a session key, compute or verify the MAC of a
 * 48-byte packet, compare. Measured with the thread's allocation counter (no timing involved).
 */
class AllocationTest {
  static volatile int blackhole;

  @Test
  void perPacketPathAllocatesNothing() throws Exception {
    for (DigestAlgorithm alg : new DigestAlgorithm[] {DigestAlgorithm.MD5, DigestAlgorithm.SHA1}) {
      SessionKeyEngine e = SessionKeyEngine.create(alg);
      AddressPair v4 = AddressPair.ofRaw(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
      AddressPair v6 = AddressPair.ofRaw(new byte[16], new byte[16]);
      byte[] src = new byte[] {10, 0, 0, 1};
      byte[] dst = new byte[] {10, 0, 0, 2};
      byte[] pkt = new byte[48 + e.macLength()];
      ServerCookies cookies = ServerCookies.random(new java.security.SecureRandom());
      int sink = 0;
      long least = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = Allocations.currentThread();
        for (int i = 0; i < 20_000; i++) {
          int cookie = cookies.cookie(e, v4, 5);
          sink += e.nextKeyId(v4, 0x10000 + i, cookie);
          sink += e.nextKeyId(v6, 0x10000 + i, cookie);
          sink += e.nextKeyId(src, dst, 0x10000 + i, cookie);
          e.computeMac(v4, 0x10000 + i, cookie, pkt, 0, 48);
          if (e.verifyMac(v4, cookie, pkt, 0, pkt.length, 48) != MacResult.VALID) {
            sink++;
          }
        }
        least = Math.min(least, Allocations.currentThread() - before);
      }
      // 20,000 iterations of anything that allocates would show at least 320,000 bytes in every
      // round; the least round is taken, since on a loaded machine one round may see a one-off
      // (a deoptimised stretch without escape analysis), never a per-packet cost
      assertTrue(least < 1024, alg + ": " + least + " bytes allocated in 20,000 packets");
      blackhole = sink;
    }
  }
}
