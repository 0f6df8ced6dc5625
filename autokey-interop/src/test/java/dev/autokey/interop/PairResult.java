package dev.autokey.interop;

import java.util.List;
import java.util.Locale;

/**
 * What a live ntpd-to-ntpd case saw, from ntpd's own view.
 *
 * @param name the case name
 * @param family address family
 * @param scheme identity scheme
 * @param keys who made the key files
 * @param complete whether the client's association reached all seven flags while reachable
 * @param secondsToAllFlags seconds from the client daemon's start to that (NaN when never)
 * @param flags the client association's last flags word
 * @param reach the client association's last reach register
 * @param reachable whether {@code ntpq -c as} showed the association reachable at the end
 * @param authenticatedAfter authenticated peerstats samples after all flags were lit
 * @param unauthenticatedAfter peerstats samples after all flags that were not authenticated
 * @param serverErrors error lines of the server's cryptostats
 * @param clientErrors error lines of the client's cryptostats, except those below
 * @param clientChallengeDefect client error lines explained by ntpd's challenge-encoding defect
 *     and followed by a successful retry ({@link CryptoStats#challengeDefectLines})
 * @param timeline {@code seconds flags reach} each time the client's view changed
 * @param clientSteps Autokey steps from the client's cryptostats ({@code cert 9.0}, ...)
 * @param capture the veth capture decoded with our wire codec
 * @param runDir folder holding configs, keys, logs, stats and ntpq views
 */
public record PairResult(
    String name,
    IpFamily family,
    Scheme scheme,
    String keys,
    boolean complete,
    double secondsToAllFlags,
    int flags,
    int reach,
    boolean reachable,
    int authenticatedAfter,
    int unauthenticatedAfter,
    List<String> serverErrors,
    List<String> clientErrors,
    List<String> clientChallengeDefect,
    List<String> timeline,
    List<String> clientSteps,
    CaptureSummary capture,
    java.nio.file.Path runDir) {

  /** One line for the summary table. */
  public String summaryRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %d | %s | %d |",
        name,
        family == IpFamily.IPV4 ? "IPv4" : "IPv6",
        scheme,
        keys,
        complete ? String.format(Locale.ROOT, "%.1f", secondsToAllFlags) : "never",
        AutokeyFlags.describe(flags).split(" ")[0],
        authenticatedAfter,
        (serverErrors.size() + clientErrors.size())
            + (clientChallengeDefect.isEmpty()
                ? ""
                : " (+" + clientChallengeDefect.size() + " retried short challenge)"),
        capture.packets());
  }

  /** Everything, for a failure message. */
  public String report() {
    return "case " + name + " (" + family + ", " + scheme + ", keys: " + keys + ")\n"
        + "  complete=" + complete + " seconds=" + secondsToAllFlags + " flags="
        + AutokeyFlags.describe(flags) + " reach=" + Integer.toOctalString(Math.max(reach, 0))
        + " reachable=" + reachable + "\n"
        + "  authenticated samples after all flags: " + authenticatedAfter
        + " (unauthenticated: " + unauthenticatedAfter + ")\n"
        + "  timeline: " + timeline + "\n"
        + "  client steps: " + clientSteps + "\n"
        + "  server cryptostats errors: " + serverErrors + "\n"
        + "  client cryptostats errors: " + clientErrors + "\n"
        + "  client lines of ntpd's short-challenge defect (retried, tolerated): "
        + clientChallengeDefect + "\n"
        + "  capture (server veth, decoded by our PacketCodec): " + capture + "\n"
        + "  run folder: " + runDir;
  }
}
