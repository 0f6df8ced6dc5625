package dev.autokey.interop;

import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Pcap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a case's capture holds, decoded with our own wire codec ({@code PacketCodec.ntpd()}): every
 * NTP packet the two real daemons exchanged must decode.
 *
 * @param packets UDP port-123 datagrams captured
 * @param withMac packets carrying a MAC
 * @param digestLengths distinct MAC digest lengths seen (16 for MD5, 20 for SHA1)
 * @param extensionFields extension fields in all packets
 * @param fieldCounts count per {@code OPCODE req|resp}
 * @param undecodable {@code frame N: reason} for each datagram our codec rejected
 */
public record CaptureSummary(int packets, int withMac, java.util.Set<Integer> digestLengths,
    int extensionFields,
    Map<String, Integer> fieldCounts, List<String> undecodable) {

  /** Reads and decodes {@code pcap}; an absent file gives an empty summary. */
  public static CaptureSummary of(Path pcap) throws IOException {
    if (!Files.exists(pcap) || Files.size(pcap) < 24) {
      return new CaptureSummary(0, 0, java.util.Set.of(), 0, Map.of(), List.of());
    }
    PacketCodec codec = PacketCodec.ntpd();
    int packets = 0;
    int macs = 0;
    java.util.Set<Integer> lengths = new java.util.TreeSet<>();
    int efs = 0;
    Map<String, Integer> counts = new TreeMap<>();
    List<String> bad = new ArrayList<>();
    for (Pcap.Udp u : Pcap.readUdp(pcap, 123)) {
      packets++;
      try {
        AutokeyPacket p = codec.decode(u.payload());
        if (p.mac().isPresent()) {
          macs++;
          // the MAC runs from its offset to the end of the datagram: key ID (4) + digest
          int digest = u.payload().length - p.macOffset() - 4;
          if (digest > 0) {
            lengths.add(digest);
          }
        }
        for (ExtensionField f : p.fields()) {
          efs++;
          counts.merge(f.opcode() + (f.isResponse() ? " resp" : " req"), 1, Integer::sum);
        }
      } catch (MalformedPacketException e) {
        bad.add("frame " + u.frame() + ": " + e.getMessage());
      }
    }
    return new CaptureSummary(packets, macs, java.util.Set.copyOf(lengths), efs,
        Map.copyOf(counts), List.copyOf(bad));
  }

  @Override
  public String toString() {
    return packets + " packets (" + withMac + " with MAC, digest octets " + digestLengths + ", "
        + extensionFields
        + " extension fields " + fieldCounts + ")"
        + (undecodable.isEmpty() ? "" : ", undecodable: " + undecodable);
  }
}
