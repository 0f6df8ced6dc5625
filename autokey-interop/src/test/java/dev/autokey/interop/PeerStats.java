package dev.autokey.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ntpd's {@code peerstats}: one line per clock-filter sample, {@code MJD SECONDS ADDRESS STATUS
 * OFFSET DELAY DISPERSION JITTER}; STATUS is the association's 16-bit status word in hex, whose
 * bits 0x4000 (authenb) and 0x2000 (auth: the packet's MAC verified) say whether the sample was
 * authenticated.
 */
public final class PeerStats {
  /** Status bit: authentication enabled for the association. */
  public static final int AUTHENB = 0x4000;
  /** Status bit: the sample's packet was authentic. */
  public static final int AUTH = 0x2000;

  /**
   * One sample.
   *
   * @param epochSeconds time of the sample (Unix seconds)
   * @param address the peer's address
   * @param status the status word
   * @param offset offset in seconds
   * @param delay delay in seconds
   */
  public record Sample(double epochSeconds, String address, int status, double offset,
      double delay) {
    /** True when the sample came from an authenticated packet. */
    public boolean authenticated() {
      return (status & (AUTHENB | AUTH)) == (AUTHENB | AUTH);
    }
  }

  private PeerStats() {}

  /** The samples of {@code file} (empty when absent). */
  public static List<Sample> read(Path file) {
    List<Sample> out = new ArrayList<>();
    for (String l : CryptoStats.lines(file)) {
      String[] f = l.trim().split("\\s+");
      if (f.length < 6 || !f[0].matches("\\d+")) {
        continue;
      }
      double epoch = (Long.parseLong(f[0]) - 40587L) * 86400.0 + Double.parseDouble(f[1]);
      out.add(new Sample(epoch, f[2], Integer.parseInt(f[3], 16), Double.parseDouble(f[4]),
          Double.parseDouble(f[5])));
    }
    return out;
  }
}
