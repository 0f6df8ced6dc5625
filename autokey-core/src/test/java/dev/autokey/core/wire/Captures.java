package dev.autokey.core.wire;

import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The UDP payloads of every reference capture, loaded once. */
final class Captures {
  private static Map<String, List<Pcap.Udp>> byRun;

  private Captures() {}

  static synchronized Map<String, List<Pcap.Udp>> byRun() {
    if (byRun == null) {
      Map<String, List<Pcap.Udp>> m = new LinkedHashMap<>();
      for (Path run : TestData.captureRuns()) {
        try {
          m.put(run.getFileName().toString(), Pcap.readUdp(run.resolve("capture.pcap"), 123));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      byRun = m;
    }
    return byRun;
  }

  static List<byte[]> allPayloads() {
    List<byte[]> out = new ArrayList<>();
    for (List<Pcap.Udp> l : byRun().values()) {
      for (Pcap.Udp u : l) {
        out.add(u.payload());
      }
    }
    return out;
  }

  static Pcap.Udp frame(String run, int frame) {
    for (Pcap.Udp u : byRun().get(run)) {
      if (u.frame() == frame) {
        return u;
      }
    }
    throw new IllegalArgumentException("no frame " + frame + " in " + run);
  }
}
