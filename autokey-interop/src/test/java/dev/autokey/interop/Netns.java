package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One network namespace of a {@link NetnsPair}: its name, its veth interface and the IPv4 and
 * IPv6 addresses on it (documentation ranges, only ever inside the namespace).
 *
 * <p>Programs run in it through {@code ip netns exec}: {@link #run} for short commands,
 * {@link #start} for daemons, {@link #startJava} for a Java main class on this JVM's class path
 * (how the Java side of a Java-to-ntpd case gets into the namespace). Started processes are
 * stopped when the pair is closed.
 */
public final class Netns {
  private final String name;
  private final String iface;
  private final InetAddress ipv4;
  private final InetAddress ipv6;
  private final InetAddress ipv4Broadcast;
  private final List<NetnsProcess> processes = new CopyOnWriteArrayList<>();

  Netns(String name, String iface, InetAddress ipv4, InetAddress ipv4Broadcast, InetAddress ipv6) {
    this.name = name;
    this.iface = iface;
    this.ipv4 = ipv4;
    this.ipv4Broadcast = ipv4Broadcast;
    this.ipv6 = ipv6;
  }

  /** The namespace name as {@code ip netns} knows it. */
  public String name() {
    return name;
  }

  /** The veth interface inside the namespace. */
  public String iface() {
    return iface;
  }

  /** IPv4 address of the interface (/30). */
  public InetAddress ipv4() {
    return ipv4;
  }

  /** IPv4 broadcast address of the interface's /30. */
  public InetAddress ipv4Broadcast() {
    return ipv4Broadcast;
  }

  /** IPv6 address of the interface (/64, no duplicate-address detection). */
  public InetAddress ipv6() {
    return ipv6;
  }

  /** The address of the given family. */
  public InetAddress address(IpFamily family) {
    return family == IpFamily.IPV4 ? ipv4 : ipv6;
  }

  /** {@code ip netns exec NAME} followed by {@code argv}. */
  public List<String> command(List<String> argv) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(argv);
    return full;
  }

  /** Runs a short command in the namespace (in {@code dir}, with {@code env} added). */
  public Cmd.Result run(List<String> argv, Path dir, Map<String, String> env, Duration timeout) {
    return Cmd.run(command(argv), dir, env, timeout);
  }

  /**
   * Starts a long-running program in the namespace with working directory {@code dir}; its
   * standard output and error go to {@code log}. It is stopped (by its pid) when the pair closes,
   * or earlier by {@link NetnsProcess#close()}.
   */
  public NetnsProcess start(
      String label, List<String> argv, Path dir, Map<String, String> env, Path log) {
    List<String> full = command(argv);
    ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      NetnsProcess p = new NetnsProcess(label, full, pb.start(), log);
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
    }
  }

  /**
   * Starts {@code mainClass} of this JVM's class path in a new JVM inside the namespace (the way
   * to put a Java Autokey client or server on the namespace's addresses).
   *
   * @param jvmArgs extra JVM options, e.g. {@code -Xmx256m} or {@code -Dkey=value}
   * @param args the program arguments
   */
  public NetnsProcess startJava(
      String label, String mainClass, List<String> jvmArgs, List<String> args, Path dir, Path log) {
    List<String> argv = new ArrayList<>();
    argv.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmArgs);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    argv.addAll(args);
    return start(label, argv, dir, Map.of(), log);
  }

  /**
   * Starts {@code tcpdump} on this namespace's veth interface, writing every UDP port 123 packet
   * to {@code pcap} (classic pcap, Ethernet frames, flushed per packet), and waits until it
   * listens. Stop it with {@link NetnsProcess#close()} (SIGTERM: tcpdump closes the file).
   */
  public NetnsProcess capture(Path pcap) throws InterruptedException {
    Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
    NetnsProcess p = start("tcpdump " + name,
        List.of("tcpdump", "-i", iface, "-n", "-U", "-s", "0", "-Z", "root", "-w",
            pcap.toString(), "udp", "port", "123"),
        pcap.getParent(), Map.of(), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("tcpdump exited: " + read(log));
      }
      if (read(log).contains("listening on")) {
        return p;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("tcpdump not listening after 10 s: " + read(log));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Processes started here and not yet stopped. */
  public List<NetnsProcess> processes() {
    return List.copyOf(processes);
  }

  /** Stops every process started in this namespace (newest first). */
  void stopAll() {
    List<NetnsProcess> ps = new ArrayList<>(processes);
    java.util.Collections.reverse(ps);
    for (NetnsProcess p : ps) {
      p.close();
    }
    processes.clear();
  }

  static void writeAll(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name + " (" + iface + " " + IpFamily.literal(ipv4) + ", " + IpFamily.literal(ipv6)
        + ")";
  }
}
