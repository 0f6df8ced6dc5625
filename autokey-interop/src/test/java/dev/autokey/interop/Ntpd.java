package dev.autokey.interop;

import dev.autokey.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One reference ntpd host: a folder ({@code ntp.conf}, {@code keys/}, {@code stats/},
 * {@code ntpd.log}, pid and drift file) and the daemon running in a namespace, plus ntpq access
 * to it from inside that namespace.
 *
 * <p>The daemon runs in the foreground ({@code -n}) as {@code ip netns exec NS setpriv
 * --bounding-set=-sys_time ntpd -n -c ntp.conf -l ntpd.log -p ntpd.pid} with the host folder as
 * working directory, so it can never set the machine's clock.
 */
public final class Ntpd {
  private static final Duration NTPQ_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Path dir;
  private final Netns ns;
  private NetnsProcess process;

  private Ntpd(String name, Path dir, Netns ns) {
    this.name = name;
    this.dir = dir;
    this.ns = ns;
  }

  /** Creates the host folder {@code dir} (with keys/ and stats/) for a daemon in {@code ns}. */
  public static Ntpd prepare(String name, Path dir, Netns ns) {
    try {
      Files.createDirectories(dir.resolve("keys"));
      Files.createDirectories(dir.resolve("stats"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Ntpd(name, dir, ns);
  }

  /** The host's label (e.g. {@code server}). */
  public String name() {
    return name;
  }

  /** The host folder. */
  public Path dir() {
    return dir;
  }

  /** Its {@code keys/} folder ({@code keysdir}). */
  public Path keys() {
    return dir.resolve("keys");
  }

  /** Its {@code stats/cryptostats}. */
  public Path cryptostats() {
    return dir.resolve("stats/cryptostats");
  }

  /** Its {@code ntpd.log}. */
  public Path log() {
    return dir.resolve("ntpd.log");
  }

  /** The namespace it runs in. */
  public Netns netns() {
    return ns;
  }

  /** Writes ntp.conf (and the leap-second table it names, the project's copy of tzdata's). */
  public void configure(NtpConf conf) {
    Netns.writeAll(dir.resolve("ntp.conf"), conf.render());
    if (conf.usesLeapFile()) {
      try {
        Files.copy(
            TestData.path("captures/tc-client/server/leap-seconds.list"),
            dir.resolve("leap-seconds.list"),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts the daemon; {@code debugLevel} &gt; 0 adds {@code -D N} (trace in ntpd-stdout.txt). */
  public void start(int debugLevel) {
    if (process != null) {
      throw new IllegalStateException(name + " already started");
    }
    ReferenceNtpd ref = ReferenceNtpd.get();
    List<String> argv = new ArrayList<>(List.of("setpriv", "--bounding-set=-sys_time",
        ref.ntpd().toString(), "-n"));
    if (debugLevel > 0) {
      argv.add("-D");
      argv.add(Integer.toString(debugLevel));
    }
    argv.addAll(List.of("-c", "ntp.conf", "-l", "ntpd.log", "-p", "ntpd.pid"));
    process = ns.start("ntpd " + name, argv, dir, ref.environment(), dir.resolve("ntpd-stdout.txt"));
  }

  /** Waits until ntpd says it is synchronized (orphan mode: leap=00), so it signs its values. */
  public void awaitSynchronized(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isRunning()) {
        throw new IllegalStateException(this + " exited at start-up:\n" + logTail(30));
      }
      if (sysVars().get("leap").map("00"::equals).orElse(false)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(this + " not synchronized (orphan) after " + max.toSeconds()
        + " s; rv 0: " + sysVars() + "\n" + logTail(30));
  }

  /** The running daemon, if started. */
  public Optional<NetnsProcess> process() {
    return Optional.ofNullable(process);
  }

  /** True while the daemon runs. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the daemon (SIGTERM, then SIGKILL). */
  public void stop() {
    if (process != null) {
      process.close();
    }
  }

  /** Runs {@code ntpq -n -c C1 -c C2 ... 127.0.0.1} inside the namespace; returns its output. */
  public String ntpq(String... commands) {
    ReferenceNtpd ref = ReferenceNtpd.get();
    List<String> argv = new ArrayList<>(List.of(ref.ntpq().toString(), "-n"));
    for (String c : commands) {
      argv.add("-c");
      argv.add(c);
    }
    argv.add("127.0.0.1");
    return ns.run(argv, dir, ref.environment(), NTPQ_TIMEOUT).output();
  }

  /** {@code ntpq -c associations}. */
  public List<NtpqAssociation> associations() {
    return NtpqAssociation.parseAll(ntpq("associations"));
  }

  /** {@code ntpq -c "rv ASSOC"}. */
  public NtpqVars peerVars(int assid) {
    return NtpqVars.parse(ntpq("rv " + assid));
  }

  /** {@code ntpq -c "rv 0"} (system variables). */
  public NtpqVars sysVars() {
    return NtpqVars.parse(ntpq("rv 0"));
  }

  /** Error lines of its cryptostats (see {@link CryptoStats}). */
  public List<String> cryptostatsErrors() {
    return CryptoStats.errors(cryptostats());
  }

  /** Saves ntpq's views (rv 0, associations, rv of each association, peers) into the folder. */
  public void saveNtpqViews() {
    StringBuilder peers = new StringBuilder();
    for (NtpqAssociation a : associations()) {
      peers.append(ntpq("rv " + a.assid())).append('\n');
    }
    Netns.writeAll(dir.resolve("ntpq-sysvars.txt"), ntpq("rv 0"));
    Netns.writeAll(dir.resolve("ntpq-associations.txt"), ntpq("associations"));
    Netns.writeAll(dir.resolve("ntpq-peervars.txt"), peers.toString());
    Netns.writeAll(dir.resolve("ntpq-peers.txt"), ntpq("peers"));
  }

  /** The last {@code n} lines of ntpd.log (for failure messages). */
  public String logTail(int n) {
    List<String> l = CryptoStats.lines(log());
    return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
  }

  @Override
  public String toString() {
    return "ntpd " + name + " in " + ns.name() + " (" + dir + ")";
  }
}
