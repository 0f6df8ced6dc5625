package dev.autokey.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Encoding into a caller's buffer allocates nothing: measured with the JVM's per-thread allocation
 * counter (bytes, not time), over every captured packet.
 */
class WireAllocationTest {
  @Test
  void encodeIntoCallerBufferDoesNotAllocate() throws Exception {
    // Reflective: test compilation sees only the module's own requires (no java.management).
    Object mx = Class.forName("java.lang.management.ManagementFactory")
        .getMethod("getThreadMXBean").invoke(null);
    Class<?> sunMx = Class.forName("com.sun.management.ThreadMXBean");
    assertTrue((Boolean) sunMx.getMethod("isThreadAllocatedMemorySupported").invoke(mx));
    Method allocatedBytes = sunMx.getMethod("getThreadAllocatedBytes", long.class);
    PacketCodec codec = PacketCodec.ntpd();
    AutokeyPacket[] packets = Captures.allPayloads().stream().map(b -> {
      try {
        return codec.decode(b);
      } catch (MalformedPacketException e) {
        throw new AssertionError(e);
      }
    }).toArray(AutokeyPacket[]::new);
    ByteBuffer out = ByteBuffer.allocateDirect(DecodeLimits.MAX_DATAGRAM_LENGTH);
    long tid = Thread.currentThread().getId();
    long written = 0;
    for (int round = 0; round < 50; round++) { // warm-up
      written += encodeAll(codec, packets, out);
    }
    int rounds = 200;
    long before = (Long) allocatedBytes.invoke(mx, tid);
    for (int round = 0; round < rounds; round++) {
      written += encodeAll(codec, packets, out);
    }
    long allocated = (Long) allocatedBytes.invoke(mx, tid) - before;
    long encodes = (long) rounds * packets.length;
    System.out.println("[wire] " + encodes + " encodes into a caller buffer allocated "
        + allocated + " bytes in total");
    assertTrue(written > 0);
    // The counter itself may account a few hundred bytes; one allocation per encode would be
    // >= 16 bytes x 34,200 encodes.
    assertTrue(allocated < 4096, "encode allocated " + allocated + " bytes for " + encodes
        + " packets");
    assertEquals(171, packets.length);
  }

  private static long encodeAll(PacketCodec codec, AutokeyPacket[] packets, ByteBuffer out) {
    long n = 0;
    for (AutokeyPacket p : packets) {
      out.clear();
      n += codec.encode(p, out);
    }
    return n;
  }
}
