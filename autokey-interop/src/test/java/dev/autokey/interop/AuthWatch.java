package dev.autokey.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Watches the first association of an ntpd client with a symmetric key ({@code server ADDR key
 * N}) through ntpq every second: the peer status word (conf 0x8000, authenb 0x4000, auth 0x2000,
 * reach 0x1000, selection in bits 8..10, sys.peer = 6), {@code flash}, {@code keyid} and the reach
 * register; notes when the association is first authentic and reachable and when ntpd selects it
 * as {@code sys.peer}, then counts authenticated samples in its {@code peerstats}.
 */
public final class AuthWatch {
  /** Status bits of ntpd's peer status word. */
  public static final int CONF = 0x8000;
  /** Authentication enabled (the association has a key). */
  public static final int AUTHENB = 0x4000;
  /** The last packet was authentic. */
  public static final int AUTH = 0x2000;
  /** Selection code sys.peer (bits 8..10). */
  public static final int SEL_SYSPEER = 6;

  /**
   * What the watch saw.
   *
   * @param authenticated the association was authentic (authenb + auth) and reachable
   * @param secondsToAuthenticated seconds after t0 when first so (NaN: never)
   * @param secondsToSysPeer seconds after t0 when ntpd selected it as sys.peer (NaN: never)
   * @param status last peer status word (-1: none seen)
   * @param statusText last {@code status=} value as ntpq printed it
   * @param flash last {@code flash=} value
   * @param keyId last {@code keyid=} value
   * @param reach last reach register (-1: none seen)
   * @param authenticatedSamples peerstats samples with authenb + auth
   * @param otherSamples other peerstats samples
   * @param timeline {@code SECONDS status=... flash=... reach=...} at each change
   */
  public record Result(boolean authenticated, double secondsToAuthenticated,
      double secondsToSysPeer, int status, String statusText, String flash, String keyId,
      int reach, int authenticatedSamples, int otherSamples, List<String> timeline) {
    /** The selection code of the last status word (6 = sys.peer). */
    public int selection() {
      return status < 0 ? -1 : (status >> 8) & 7;
    }
  }

  private AuthWatch() {}

  /**
   * Watches until authenticated, selected and {@code samples} authenticated peerstats samples, or
   * {@code timeout} after {@code t0Nanos}, or a party of the case exits.
   */
  public static Result await(Ntpd ntpd, long t0Nanos, Duration timeout, int samples,
      BooleanSupplier othersAlive) throws InterruptedException {
    double tAuth = Double.NaN;
    double tSys = Double.NaN;
    int status = -1;
    String statusText = "";
    String flash = "";
    String keyId = "";
    int reach = -1;
    int authSamples = 0;
    int other = 0;
    int assid = 0;
    String last = "";
    List<String> timeline = new ArrayList<>();
    long deadline = t0Nanos + timeout.toNanos();
    while (true) {
      double el = (System.nanoTime() - t0Nanos) / 1e9;
      if (!ntpd.isRunning() || !othersAlive.getAsBoolean()) {
        timeline.add(String.format(Locale.ROOT, "%.1f stopped: %s", el,
            ntpd.isRunning() ? "another party of the case exited" : ntpd + " exited"));
        break;
      }
      if (assid == 0) {
        List<NtpqAssociation> as = ntpd.associations();
        assid = as.isEmpty() ? 0 : as.get(0).assid();
      }
      if (assid != 0) {
        NtpqVars v = ntpd.peerVars(assid);
        if (!v.isEmpty()) {
          status = v.statusWord();
          statusText = v.get("status").orElse("");
          flash = v.get("flash").orElse("");
          keyId = v.get("keyid").orElse("");
          reach = v.reach();
          String state = "status=" + statusText + " flash=" + flash + " keyid=" + keyId
              + " reach=" + Integer.toOctalString(Math.max(0, reach));
          if (!state.equals(last)) {
            timeline.add(String.format(Locale.ROOT, "%.1f %s", el, state));
            last = state;
          }
          if (Double.isNaN(tAuth) && status >= 0 && (status & (AUTHENB | AUTH)) == (AUTHENB | AUTH)
              && reach > 0) {
            tAuth = Math.round(el * 10) / 10.0;
          }
          if (Double.isNaN(tSys) && status >= 0 && ((status >> 8) & 7) == SEL_SYSPEER) {
            tSys = Math.round(el * 10) / 10.0;
          }
        }
      }
      authSamples = 0;
      other = 0;
      for (PeerStats.Sample s : PeerStats.read(ntpd.dir().resolve("stats/peerstats"))) {
        if (s.authenticated()) {
          authSamples++;
        } else {
          other++;
        }
      }
      if (!Double.isNaN(tAuth) && !Double.isNaN(tSys) && authSamples >= samples) {
        break;
      }
      if (System.nanoTime() > deadline) {
        timeline.add(String.format(Locale.ROOT, "timeout %d", timeout.toSeconds()));
        break;
      }
      Thread.sleep(1000);
    }
    return new Result(!Double.isNaN(tAuth), tAuth, tSys, status, statusText, flash, keyId, reach,
        authSamples, other, List.copyOf(timeline));
  }
}
