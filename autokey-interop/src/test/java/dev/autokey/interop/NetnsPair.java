package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two network namespaces joined by a veth pair: the unit every live case runs in.
 *
 * <p>Each pair owns a <em>slot</em> (0..127) that names everything it creates, so that cases run
 * in parallel, in one JVM or several: namespaces {@code akit<slot>s} and {@code akit<slot>c},
 * interfaces {@code akit<slot>s0} / {@code akit<slot>c0} (created directly inside the namespaces,
 * nothing appears in the host's namespace), addresses from the documentation ranges: slot n &lt;
 * 64 uses 192.0.2.4n/30, slots 64..127 use 198.51.100.4(n-64)/30 (".1" server side, ".2" client
 * side), and IPv6 {@code 2001:db8:0:n::1} / {@code ::2} (/64). A slot is held by an exclusive
 * lock on {@code /run/autokey-interop/slot-<n>.lock}, which the kernel releases if the JVM dies;
 * the next owner of a slot first removes what a dead owner left (its namespaces and the processes
 * still inside them).
 *
 * <p>{@link #close()} stops every process started through {@link Netns#start}, then any process
 * still inside the two namespaces (by pid), deletes the namespaces and frees the slot. A JVM
 * shutdown hook closes pairs that are still open.
 */
public final class NetnsPair implements AutoCloseable {
  /** Number of slots (concurrent pairs on one machine). */
  public static final int SLOTS = 128;

  private static final Path LOCK_DIR = Paths.get("/run/autokey-interop");
  private static final Set<Integer> SLOTS_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
  private static final Set<NetnsPair> OPEN = ConcurrentHashMap.newKeySet();
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (NetnsPair p : List.copyOf(OPEN)) {
                    p.close();
                  }
                },
                "autokey-interop-cleanup"));
  }

  private final int slot;
  private final String label;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Netns server;
  private final Netns client;
  private boolean closed;

  private NetnsPair(int slot, String label, FileChannel ch, FileLock lock) {
    this.slot = slot;
    this.label = label;
    this.lockChannel = ch;
    this.lock = lock;
    String base = "akit" + slot;
    int third = slot < 64 ? 0 : 1;
    int off = (slot % 64) * 4;
    String v4 = third == 0 ? "192.0.2." : "198.51.100.";
    this.server =
        new Netns(
            base + "s",
            base + "s0",
            addr(v4 + (off + 1)),
            addr(v4 + (off + 3)),
            addr("2001:db8:0:" + Integer.toHexString(slot) + "::1"));
    this.client =
        new Netns(
            base + "c",
            base + "c0",
            addr(v4 + (off + 2)),
            addr(v4 + (off + 3)),
            addr("2001:db8:0:" + Integer.toHexString(slot) + "::2"));
  }

  /**
   * Creates a fresh pair on a free slot. Calls {@link InteropEnv#requireNamespaces()} first, so a
   * machine without namespaces skips (or, in CI, fails) the calling test.
   *
   * @param label what the pair is for (written into the slot's lock file)
   */
  public static NetnsPair open(String label) {
    InteropEnv.requireNamespaces();
    // fetches ntpd once per JVM and installs the Debian tools the cases use (tcpdump, setpriv)
    ReferenceNtpd.get();
    try {
      Files.createDirectories(LOCK_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int n = 0; n < SLOTS; n++) {
      if (!SLOTS_IN_THIS_JVM.add(n)) {
        continue;
      }
      NetnsPair pair = null;
      try {
        FileChannel ch =
            FileChannel.open(
                LOCK_DIR.resolve("slot-" + n + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
          ch.close();
          SLOTS_IN_THIS_JVM.remove(n);
          continue;
        }
        ch.truncate(0);
        ch.write(
            ByteBuffer.wrap(
                ("pid " + ProcessHandle.current().pid() + " " + label + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
        pair = new NetnsPair(n, label, ch, lock);
        pair.create();
        OPEN.add(pair);
        return pair;
      } catch (IOException e) {
        if (pair != null) {
          pair.close();
        } else {
          SLOTS_IN_THIS_JVM.remove(n);
        }
        throw new UncheckedIOException("cannot take interop slot " + n, e);
      } catch (RuntimeException e) {
        if (pair != null) {
          pair.close();
        }
        throw e;
      }
    }
    throw new IllegalStateException("all " + SLOTS + " interop slots are busy");
  }

  private void create() {
    removeLeftovers();
    ip("netns", "add", server.name());
    ip("netns", "add", client.name());
    ip("-n", server.name(), "link", "add", server.iface(), "type", "veth", "peer", "name",
        client.iface(), "netns", client.name());
    for (Netns ns : List.of(server, client)) {
      ip("-n", ns.name(), "link", "set", "lo", "up");
      ip("-n", ns.name(), "addr", "add", ns.ipv4().getHostAddress() + "/30", "broadcast",
          ns.ipv4Broadcast().getHostAddress(), "dev", ns.iface());
      ip("-n", ns.name(), "addr", "add", IpFamily.literal(ns.ipv6()) + "/64", "dev", ns.iface(),
          "nodad");
      ip("-n", ns.name(), "link", "set", ns.iface(), "up");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Netns ns : List.of(server, client)) {
      while (true) {
        String out = ip("-n", ns.name(), "-o", "link", "show", ns.iface());
        if (out.contains("state UP") || out.contains(",LOWER_UP")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("veth " + ns.iface() + " did not come up: " + out);
        }
        sleep(50);
      }
    }
  }

  /** Namespaces of this slot left by an owner that died (we hold the slot's lock now). */
  private void removeLeftovers() {
    for (Netns ns : List.of(server, client)) {
      if (Files.exists(Paths.get("/run/netns", ns.name()))) {
        System.err.println("autokey-interop: removing namespace " + ns.name()
            + " left by a previous run of slot " + slot);
        killInside(ns);
        Cmd.run(List.of("ip", "netns", "del", ns.name()));
      }
    }
  }

  private static void killInside(Netns ns) {
    Cmd.Result pids = Cmd.run(List.of("ip", "netns", "pids", ns.name()));
    if (!pids.ok()) {
      return;
    }
    for (String line : pids.output().split("\\s+")) {
      if (line.matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(line)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static String ip(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    return Cmd.run(argv, null, Map.of(), IP_TIMEOUT).orThrow().output();
  }

  private static InetAddress addr(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The slot number (0..127). */
  public int slot() {
    return slot;
  }

  /** What the pair was opened for. */
  public String label() {
    return label;
  }

  /** The namespace whose addresses end in 1 (the server / broadcaster / first peer). */
  public Netns server() {
    return server;
  }

  /** The namespace whose addresses end in 2 (the client / second peer). */
  public Netns client() {
    return client;
  }

  /** Stops all processes, deletes both namespaces, frees the slot. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (Netns ns : List.of(client, server)) {
        ns.stopAll();
      }
      for (Netns ns : List.of(client, server)) {
        if (Files.exists(Paths.get("/run/netns", ns.name()))) {
          killInside(ns);
          Cmd.Result r = Cmd.run(List.of("ip", "netns", "del", ns.name()));
          if (!r.ok()) {
            System.err.println("autokey-interop: ip netns del " + ns.name() + ": " + r.output());
          }
        }
      }
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        System.err.println("autokey-interop: releasing slot " + slot + ": " + e);
      }
      SLOTS_IN_THIS_JVM.remove(slot);
      OPEN.remove(this);
    }
  }

  @Override
  public String toString() {
    return "slot " + slot + " [" + label + "]: " + server + " <-> " + client;
  }
}
