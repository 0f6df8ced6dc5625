package dev.autokey.bench.load;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures of one load run; the counters are those of the measurement phase unless named
 * {@code warmup*}. Latencies are in microseconds, from the send call to the read of the reply.
 *
 * @param sockets client sockets
 * @param window outstanding requests per socket
 * @param warmupSeconds warm-up duration
 * @param seconds measured duration
 * @param sent requests sent in the measurement
 * @param valid replies to them that passed every check (mode 4, origin, key ID, MAC)
 * @param lost requests without any reply within the timeout
 * @param cryptoNaks crypto-NAK replies (48-byte header + a zero key ID)
 * @param invalid other replies that failed a check (length, mode, key ID, MAC)
 * @param badMac of {@code invalid}, replies whose MAC did not verify
 * @param unmatched datagrams matching no outstanding request (late after the timeout, duplicates)
 * @param warmupSent requests sent in the warm-up
 * @param warmupValid valid replies in the warm-up
 * @param warmupInvalid crypto-NAKs and invalid replies in the warm-up
 * @param p50 median latency (µs)
 * @param p90 90th percentile (µs)
 * @param p99 99th percentile (µs)
 * @param p999 99.9th percentile (µs)
 * @param max largest latency (µs)
 * @param serverCpuSeconds user + system CPU seconds of the server process in the measurement,
 *     or -1 when not sampled
 * @param generatorCpuSeconds CPU seconds of the generator's thread in the measurement
 * @param otherCpuSeconds CPU seconds (user + nice + system) the rest of the machine used in the
 *     measurement, neither the server nor the generator's process: near 0 on a quiet machine; -1
 *     when not known (no --server-pid, no /proc)
 * @param stealSeconds CPU seconds the hypervisor took in the measurement (steal), or -1
 * @param perSecond valid replies per second of the whole run (warm-up first)
 */
record LoadResult(int sockets, int window, double warmupSeconds, double seconds, long sent,
    long valid, long lost, long cryptoNaks, long invalid, long badMac, long unmatched,
    long warmupSent, long warmupValid, long warmupInvalid, double p50, double p90, double p99,
    double p999, double max, double serverCpuSeconds, double generatorCpuSeconds,
    double otherCpuSeconds, double stealSeconds, long[] perSecond) {

  /** Valid replies per second of the measurement. */
  double rate() {
    return seconds <= 0 ? 0 : valid / seconds;
  }

  /** Lost requests as a fraction of those sent in the measurement. */
  double lossFraction() {
    return sent == 0 ? 0 : (double) lost / sent;
  }

  /** Valid replies per CPU second of the server, or -1 when its CPU time was not sampled. */
  double repliesPerServerCpuSecond() {
    return serverCpuSeconds <= 0 ? -1 : valid / serverCpuSeconds;
  }

  /** The figures as ordered {@code key=value} pairs (the generator's {@code --out} file). */
  Map<String, String> properties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sockets", Integer.toString(sockets));
    m.put("window", Integer.toString(window));
    m.put("warmup_seconds", fmt(warmupSeconds, 3));
    m.put("seconds", fmt(seconds, 3));
    m.put("sent", Long.toString(sent));
    m.put("valid", Long.toString(valid));
    m.put("rate", fmt(rate(), 1));
    m.put("lost", Long.toString(lost));
    m.put("loss_fraction", fmt(lossFraction(), 6));
    m.put("crypto_naks", Long.toString(cryptoNaks));
    m.put("invalid", Long.toString(invalid));
    m.put("bad_mac", Long.toString(badMac));
    m.put("unmatched", Long.toString(unmatched));
    m.put("warmup_sent", Long.toString(warmupSent));
    m.put("warmup_valid", Long.toString(warmupValid));
    m.put("warmup_invalid", Long.toString(warmupInvalid));
    m.put("p50_us", fmt(p50, 1));
    m.put("p90_us", fmt(p90, 1));
    m.put("p99_us", fmt(p99, 1));
    m.put("p999_us", fmt(p999, 1));
    m.put("max_us", fmt(max, 1));
    m.put("server_cpu_seconds", fmt(serverCpuSeconds, 2));
    m.put("replies_per_server_cpu_second", fmt(repliesPerServerCpuSecond(), 1));
    m.put("generator_cpu_seconds", fmt(generatorCpuSeconds, 2));
    m.put("other_cpu_seconds", fmt(otherCpuSeconds, 2));
    m.put("steal_seconds", fmt(stealSeconds, 2));
    m.put("per_second", Arrays.stream(perSecond).mapToObj(Long::toString)
        .collect(Collectors.joining(",")));
    return m;
  }

  /** A few human lines. */
  String summary() {
    return String.format(Locale.ROOT,
        "measured %.2f s: %d requests, %d valid authenticated replies = %.0f/s; lost %d (%.4f %%),"
            + " crypto-NAKs %d, invalid %d (bad MAC %d), unmatched %d%n"
            + "latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n"
            + "server CPU %s s (%s replies per server CPU second), generator CPU %.2f s,"
            + " other processes %s s, steal %s s%n"
            + "warm-up %.1f s: %d requests, %d valid, %d NAK/invalid; valid replies per second: %s",
        seconds, sent, valid, rate(), lost, 100 * lossFraction(), cryptoNaks, invalid, badMac,
        unmatched, p50, p90, p99, p999, max,
        serverCpuSeconds < 0 ? "n/a" : fmt(serverCpuSeconds, 2),
        serverCpuSeconds <= 0 ? "n/a" : fmt(repliesPerServerCpuSecond(), 0),
        generatorCpuSeconds, otherCpuSeconds < 0 ? "n/a" : fmt(otherCpuSeconds, 2),
        stealSeconds < 0 ? "n/a" : fmt(stealSeconds, 2), warmupSeconds, warmupSent, warmupValid, warmupInvalid,
        Arrays.toString(perSecond));
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoadResult r && properties().equals(r.properties());
  }

  @Override
  public int hashCode() {
    return properties().hashCode();
  }

  @Override
  public String toString() {
    return "LoadResult" + properties();
  }
}
