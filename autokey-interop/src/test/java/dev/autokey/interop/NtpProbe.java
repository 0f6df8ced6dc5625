package dev.autokey.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A tiny plain-NTP client run as a separate JVM inside a namespace ({@link Netns#startJava}): it
 * sends one mode-3 request to {@code ADDRESS} port 123 and prints the reply's mode, stratum and
 * reference ID, then exits 0 (2 on no reply within 3 tries). It exists to prove, in the harness's
 * own test, that Java code placed in a namespace talks to an ntpd on the veth link: the Java
 * Autokey cases of issue 8 use the same path.
 */
public final class NtpProbe {
  private NtpProbe() {}

  /** {@code NtpProbe ADDRESS}. */
  public static void main(String[] args) throws Exception {
    InetAddress server = InetAddress.getByName(args[0]);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      byte[] req = new byte[48];
      req[0] = (byte) ((4 << 3) | 3); // LI 0, version 4, mode 3
      long now = System.currentTimeMillis();
      ByteBuffer.wrap(req, 40, 8).putInt((int) (now / 1000 + 2_208_988_800L)).putInt(0);
      byte[] buf = new byte[2048]; // never 48: Autokey replies are longer
      for (int attempt = 0; attempt < 3; attempt++) {
        s.send(new DatagramPacket(req, req.length, new InetSocketAddress(server, 123)));
        DatagramPacket resp = new DatagramPacket(buf, buf.length);
        try {
          s.receive(resp);
        } catch (java.net.SocketTimeoutException e) {
          continue;
        }
        int mode = buf[0] & 7;
        int stratum = buf[1] & 0xff;
        boolean originEchoed = java.util.Arrays.equals(
            java.util.Arrays.copyOfRange(buf, 24, 32), java.util.Arrays.copyOfRange(req, 40, 48));
        System.out.printf(java.util.Locale.ROOT,
            "reply from %s: %d bytes mode=%d stratum=%d refid=%02x%02x%02x%02x origin=%s local=%s%n",
            IpFamily.literal(resp.getAddress()), resp.getLength(), mode, stratum, buf[12], buf[13],
            buf[14], buf[15], originEchoed ? "echoed" : "WRONG",
            IpFamily.literal(s.getLocalAddress()));
        System.exit(mode == 4 && originEchoed ? 0 : 1);
      }
      System.out.println("no reply from " + server.getHostAddress());
      System.exit(2);
    }
  }
}
