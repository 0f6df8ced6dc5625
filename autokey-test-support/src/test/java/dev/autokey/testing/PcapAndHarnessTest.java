package dev.autokey.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PcapAndHarnessTest {
  @Test
  void everyCaptureHasNtpDatagrams() throws Exception {
    List<java.nio.file.Path> runs = TestData.captureRuns();
    assertEquals(9, runs.size(), "capture runs in testdata/captures");
    for (java.nio.file.Path run : runs) {
      List<Pcap.Udp> udp = Pcap.readUdp(run.resolve("capture.pcap"), 123);
      assertFalse(udp.isEmpty(), run.toString());
      for (Pcap.Udp u : udp) {
        assertTrue(u.payload().length >= 48, u.toString());
      }
    }
  }

  @Test
  void tcClientCaptureHasSixteenPackets() throws Exception {
    // the run README says: "16 NTP packets captured"
    assertEquals(16, Pcap.readUdp(TestData.path("captures/tc-client/capture.pcap"), 123).size());
  }

  @Test
  void harnessRunsDefaultCaseCount() {
    AtomicInteger n = new AtomicInteger();
    PropertyCheck.forAll("counts", g -> n.incrementAndGet());
    assertEquals(Integer.getInteger("autokey.cases", PropertyCheck.DEFAULT_CASES), n.get());
  }

  @Test
  void harnessReportsSeedOnFailure() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> PropertyCheck.forAll("fails", g -> assertTrue(g.intBetween(0, 9) < 5)));
    assertTrue(e.getMessage().contains("-Dautokey.seed="), e.getMessage());
  }

  @Test
  void sameSeedSameValues() {
    assertEquals(new Gen(42).anyLong(), new Gen(42).anyLong());
    byte[] a = new Gen(7).mutate(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    byte[] b = new Gen(7).mutate(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
  }
}
