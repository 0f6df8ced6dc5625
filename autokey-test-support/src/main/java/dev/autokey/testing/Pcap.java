package dev.autokey.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal classic-pcap reader for test fixtures: Ethernet (optionally one 802.1Q tag), Linux
 * cooked capture (SLL), raw IP; IPv4 (unfragmented) and IPv6 (no extension headers); UDP only.
 * Anything else is skipped.
 */
public final class Pcap {
  private Pcap() {}

  /** One UDP datagram found in a capture. */
  public record Udp(int frame, long timestampMicros, InetAddress src, int srcPort,
      InetAddress dst, int dstPort, byte[] payload) {
    /** The payload (a copy). */
    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** Source address bytes (4 or 16). */
    public byte[] srcBytes() {
      return src.getAddress();
    }

    /** Destination address bytes (4 or 16). */
    public byte[] dstBytes() {
      return dst.getAddress();
    }

    @Override
    public String toString() {
      return "frame " + frame + " " + src.getHostAddress() + ":" + srcPort + " -> "
          + dst.getHostAddress() + ":" + dstPort + " (" + payload.length + " bytes)";
    }
  }

  /** Every UDP datagram in the file, in capture order. */
  public static List<Udp> readUdp(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /** UDP datagrams to or from {@code port}. */
  public static List<Udp> readUdp(Path file, int port) throws IOException {
    List<Udp> out = new ArrayList<>();
    for (Udp u : readUdp(file)) {
      if (u.srcPort() == port || u.dstPort() == port) {
        out.add(u);
      }
    }
    return out;
  }

  static List<Udp> parse(byte[] data) throws IOException {
    if (data.length < 24) {
      throw new IOException("not a pcap file: " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    int magic = b.getInt(0);
    boolean nanos;
    if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      b.order(ByteOrder.LITTLE_ENDIAN);
      nanos = magic == 0x4d3cb2a1;
    } else if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
      b.order(ByteOrder.BIG_ENDIAN);
      nanos = magic == 0xa1b23c4d;
    } else {
      throw new IOException(String.format("not a classic pcap file (magic %08x)", magic));
    }
    int linkType = b.getInt(20);
    List<Udp> out = new ArrayList<>();
    int off = 24;
    int frame = 0;
    while (off + 16 <= data.length) {
      frame++;
      long sec = b.getInt(off) & 0xFFFFFFFFL;
      long frac = b.getInt(off + 4) & 0xFFFFFFFFL;
      int incl = b.getInt(off + 8);
      if (incl < 0 || off + 16 + incl > data.length) {
        throw new IOException("truncated record " + frame);
      }
      byte[] pkt = Arrays.copyOfRange(data, off + 16, off + 16 + incl);
      off += 16 + incl;
      long micros = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
      Udp u = decodeLink(linkType, pkt, frame, micros);
      if (u != null) {
        out.add(u);
      }
    }
    return out;
  }

  private static Udp decodeLink(int linkType, byte[] p, int frame, long micros)
      throws UnknownHostException {
    int off;
    int etherType;
    switch (linkType) {
      case 1: // Ethernet
        if (p.length < 14) {
          return null;
        }
        etherType = u16(p, 12);
        off = 14;
        if (etherType == 0x8100 && p.length >= 18) {
          etherType = u16(p, 16);
          off = 18;
        }
        break;
      case 113: // Linux SLL
        if (p.length < 16) {
          return null;
        }
        etherType = u16(p, 14);
        off = 16;
        break;
      case 101: // raw IP
        if (p.length < 1) {
          return null;
        }
        etherType = (p[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        off = 0;
        break;
      default:
        return null;
    }
    if (etherType == 0x0800) {
      if (p.length < off + 20) {
        return null;
      }
      int ihl = (p[off] & 0x0F) * 4;
      int proto = p[off + 9] & 0xFF;
      int totalLen = u16(p, off + 2);
      int fragment = u16(p, off + 6) & 0x3FFF;
      if (proto != 17 || fragment != 0 || p.length < off + totalLen) {
        return null;
      }
      InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(p, off + 12, off + 16));
      InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(p, off + 16, off + 20));
      return udp(p, off + ihl, off + totalLen, frame, micros, src, dst);
    } else if (etherType == 0x86DD) {
      if (p.length < off + 40) {
        return null;
      }
      int next = p[off + 6] & 0xFF;
      int payloadLen = u16(p, off + 4);
      if (next != 17 || p.length < off + 40 + payloadLen) {
        return null;
      }
      InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(p, off + 8, off + 24));
      InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(p, off + 24, off + 40));
      return udp(p, off + 40, off + 40 + payloadLen, frame, micros, src, dst);
    }
    return null;
  }

  private static Udp udp(byte[] p, int off, int end, int frame, long micros, InetAddress src,
      InetAddress dst) {
    if (end - off < 8) {
      return null;
    }
    int sport = u16(p, off);
    int dport = u16(p, off + 2);
    int len = u16(p, off + 4);
    if (len < 8 || off + len > end) {
      return null;
    }
    return new Udp(frame, micros, src, sport, dst, dport, Arrays.copyOfRange(p, off + 8, off + len));
  }

  private static int u16(byte[] p, int i) {
    return ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
  }
}
