package dev.autokey.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Watches an ntpd's first association through ntpq (every second): records a timeline of its
 * flags word and reach register, notes when all seven flags are lit while reachable, and then
 * counts authenticated samples in that ntpd's {@code peerstats} until enough have arrived.
 *
 * <p>Use it wherever an ntpd is the client: ntpd-to-ntpd cases and the later ntpd-client-to-Java
 * server cases ({@code othersAlive} then checks the Java process).
 */
public final class FlagWatch {
  /**
   * What the watch saw.
   *
   * @param complete all flags lit while reachable
   * @param seconds seconds after {@code t0} when that happened (NaN when never)
   * @param flags last flags word (-1: none seen)
   * @param reach last reach register (-1: none seen)
   * @param reachable last view was reachable (as column yes and reach != 0)
   * @param assid the association watched (0: none)
   * @param authenticatedAfter authenticated peerstats samples after completion
   * @param unauthenticatedAfter other peerstats samples after completion
   * @param timeline {@code SECONDS FLAGS reach=R} lines at each change, plus end markers
   */
  public record Result(
      boolean complete,
      double seconds,
      int flags,
      int reach,
      boolean reachable,
      int assid,
      int authenticatedAfter,
      int unauthenticatedAfter,
      List<String> timeline) {}

  private FlagWatch() {}

  /**
   * Watches {@code ntpd} until complete plus {@code samples} authenticated samples (or complete
   * plus {@code samples + 2} poll intervals), or until {@code timeout} after {@code t0Nanos}
   * without completion, or until {@code ntpd} or a process of {@code othersAlive} stops.
   *
   * @param poll log2 poll interval of the association (to bound the wait for samples)
   * @param othersAlive returns false when another party of the case has died
   */
  public static Result await(Ntpd ntpd, long t0Nanos, Duration timeout, int poll, int samples,
      BooleanSupplier othersAlive) throws InterruptedException {
    boolean complete = false;
    double seconds = Double.NaN;
    int flags = -1;
    int reach = -1;
    boolean reachable = false;
    int assid = 0;
    int authAfter = 0;
    int unauthAfter = 0;
    List<String> timeline = new ArrayList<>();
    String last = "";
    double completeEpoch = 0;
    long deadline = t0Nanos + timeout.toNanos();
    long sampleDeadline = Long.MAX_VALUE;
    while (true) {
      double el = (System.nanoTime() - t0Nanos) / 1e9;
      if (!ntpd.isRunning() || !othersAlive.getAsBoolean()) {
        timeline.add(String.format(Locale.ROOT, "%.1f stopped: %s", el,
            ntpd.isRunning() ? "another party of the case exited" : ntpd + " exited"));
        break;
      }
      // one ntpq run per poll: "associations" and, once its ID is known, "rv ID" together
      String out = assid == 0 ? ntpd.ntpq("associations")
          : ntpd.ntpq("associations", "rv " + assid);
      int cut = out.indexOf("associd=");
      List<NtpqAssociation> as = NtpqAssociation.parseAll(cut < 0 ? out : out.substring(0, cut));
      if (!as.isEmpty() && as.get(0).assid() != assid) {
        assid = as.get(0).assid();
        out = ntpd.ntpq("associations", "rv " + assid);
        cut = out.indexOf("associd=");
        as = NtpqAssociation.parseAll(cut < 0 ? out : out.substring(0, cut));
      }
      if (!as.isEmpty() && cut >= 0) {
        NtpqAssociation a = as.get(0);
        NtpqVars v = NtpqVars.parse(out.substring(cut));
        if (!v.isEmpty() && v.get("associd").map(x -> x.equals(Integer.toString(a.assid())))
            .orElse(false)) {
          flags = v.flags();
          reach = v.reach();
          reachable = a.reachable() && reach > 0;
          String state = AutokeyFlags.describe(flags) + " reach="
              + Integer.toOctalString(Math.max(0, reach));
          if (!state.equals(last)) {
            timeline.add(String.format(Locale.ROOT, "%.1f %s", el, state));
            last = state;
          }
          if (!complete && AutokeyFlags.complete(flags) && reachable) {
            complete = true;
            seconds = Math.round(el * 10) / 10.0;
            completeEpoch = System.currentTimeMillis() / 1000.0;
            timeline.add(String.format(Locale.ROOT, "complete %.1f", seconds));
            sampleDeadline = System.nanoTime()
                + Duration.ofSeconds((long) (samples + 2) << poll).toNanos();
          }
        }
      }
      if (complete) {
        authAfter = 0;
        unauthAfter = 0;
        for (PeerStats.Sample s : PeerStats.read(ntpd.dir().resolve("stats/peerstats"))) {
          if (s.epochSeconds() > completeEpoch) {
            if (s.authenticated()) {
              authAfter++;
            } else {
              unauthAfter++;
            }
          }
        }
        if (authAfter >= samples || System.nanoTime() > sampleDeadline) {
          break;
        }
      } else if (System.nanoTime() > deadline) {
        timeline.add(String.format(Locale.ROOT, "timeout %d", timeout.toSeconds()));
        break;
      }
      Thread.sleep(1000);
    }
    return new Result(complete, seconds, flags, reach, reachable, assid, authAfter, unauthAfter,
        List.copyOf(timeline));
  }
}
