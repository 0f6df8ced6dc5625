package dev.autokey.bench.load;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.keys.SessionKey;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.NtpHeader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * The closed-loop load: {@code sockets} UDP sockets bound to one client address, each keeping at
 * most {@code window} authenticated plain Autokey requests outstanding, on one thread. Every
 * request is a 48-byte mode-3 header (leap 3, version 4, poll 6, a unique transmit timestamp)
 * plus a MAC under the session key H(client || server || key ID || cookie) of a fresh-looking key
 * ID (drawn from a pool of {@value #KEY_POOL} random IDs above 65535, so a key ID comes back
 * only every {@value #KEY_POOL} requests). Every reply is checked: length 48 + MAC (a crypto-NAK
 * is counted apart), mode 4, origin equal to the transmit timestamp of an outstanding request
 * sent on the same socket, the request's key ID echoed, and the MAC verified under the server's
 * session key H(server || client || key ID || cookie). Only replies that pass every check count.
 *
 * <p>Phases: warm-up (same load, counted apart), then measurement until {@code measure} has
 * passed or {@code maxCount} requests were sent, then a drain (no new requests) until every
 * outstanding request is answered or timed out. A request without a valid reply within {@code
 * timeout} is lost.
 *
 * <p>Slightly over 400 lines: the closed loop keeps its request templates, window bookkeeping and
 * reply checks in flat arrays in one class so that the generator allocates nothing per request.
 */
final class LoadRun {
  /** Distinct key IDs (with their precomputed request and reply session keys). */
  static final int KEY_POOL = 1 << 16;

  private static final int BUFFER = 2121;
  private static final byte PENDING = 1;
  private static final byte FREE = 0;
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;

  /**
   * The load parameters.
   *
   * @param server the server's address and port
   * @param local the client address (every socket binds to it, port chosen by the system)
   * @param sockets number of client sockets
   * @param window outstanding requests per socket (closed loop)
   * @param warmup warm-up duration
   * @param measure measurement duration
   * @param maxCount at most this many requests in the measurement
   * @param timeout a request without reply after this long is lost
   * @param serverPid the server process id whose CPU time is sampled from /proc, or -1
   */
  record Params(InetSocketAddress server, InetAddress local, int sockets, int window,
      Duration warmup, Duration measure, long maxCount, Duration timeout, long serverPid) {}

  private final Params p;
  private final SessionKeyEngine engine;
  private final int macLength;
  private final int replyLength;

  // key pool
  private final int[] keyIds = new int[KEY_POOL];
  private final SessionKey[] requestKeys = new SessionKey[KEY_POOL];
  private final SessionKey[] replyKeys = new SessionKey[KEY_POOL];

  // ring of requests, indexed by sequence number & mask
  private final int mask;
  private final long[] sendNanos;
  private final int[] slotKey;
  private final byte[] slotState;
  private final byte[] slotPhase;
  private final short[] slotSocket;
  private long head;
  private long tail;
  private final long base;

  private final DatagramChannel[] channels;
  private final int[] outstanding;
  private final ByteBuffer[] sendBufs;
  private final ByteBuffer recvBuf = ByteBuffer.allocate(BUFFER);
  private final byte[] recv = recvBuf.array();

  // counters per phase
  private final long[] sent = new long[2];
  private final long[] valid = new long[2];
  private final long[] lost = new long[2];
  private final long[] naks = new long[2];
  private final long[] badLength = new long[2];
  private final long[] badMode = new long[2];
  private final long[] badKeyId = new long[2];
  private final long[] badMac = new long[2];
  private long unmatched;
  private final int[] latencies;
  private int latencyCount;
  private final long[] perSecond;
  private long startNanos;

  LoadRun(Params p, SessionKeyEngine engine, int cookie) throws IOException {
    this.p = p;
    this.engine = engine;
    this.macLength = engine.macLength();
    this.replyLength = NtpHeader.LENGTH + macLength;
    SecureRandom random = new SecureRandom();
    AddressPair toServer = AddressPair.of(p.local(), p.server().getAddress());
    AddressPair toClient = toServer.reversed();
    for (int i = 0; i < KEY_POOL; i++) {
      int id;
      do {
        id = random.nextInt();
      } while (Integer.compareUnsigned(id, 65535) <= 0);
      keyIds[i] = id;
      requestKeys[i] = engine.sessionKey(toServer, id, cookie);
      replyKeys[i] = engine.sessionKey(toClient, id, cookie);
    }
    int total = p.sockets() * p.window();
    int ring = Integer.highestOneBit(Math.max(1 << 16, total * 4) - 1) << 1;
    mask = ring - 1;
    sendNanos = new long[ring];
    slotKey = new int[ring];
    slotState = new byte[ring];
    slotPhase = new byte[ring];
    slotSocket = new short[ring];
    base = dev.autokey.core.protocol.NtpTime.ofUnixMillis(System.currentTimeMillis());
    channels = new DatagramChannel[p.sockets()];
    outstanding = new int[p.sockets()];
    sendBufs = new ByteBuffer[p.sockets()];
    for (int i = 0; i < p.sockets(); i++) {
      DatagramChannel ch = DatagramChannel.open(
          p.local() instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6
              : java.net.StandardProtocolFamily.INET);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      ch.bind(new InetSocketAddress(p.local(), 0));
      ch.connect(p.server());
      ch.configureBlocking(false);
      channels[i] = ch;
      byte[] b = new byte[NtpHeader.LENGTH + macLength];
      b[0] = (byte) ((NtpHeader.LEAP_UNSYNCHRONIZED << 6) | (4 << 3) | NtpHeader.MODE_CLIENT);
      b[2] = 6; // poll
      b[3] = (byte) -20; // precision
      sendBufs[i] = ByteBuffer.wrap(b);
    }
    long cap = Math.min(p.maxCount(), Integer.MAX_VALUE - 8);
    latencies = new int[(int) Math.min(cap, 1L << 25)];
    perSecond = new long[(int) (p.warmup().toSeconds() + p.measure().toSeconds() + 4)];
  }

  /** Runs the load and returns its figures (counters of the measurement phase). */
  LoadResult run(PrintStream log) throws IOException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long timeoutNanos = p.timeout().toNanos();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < channels.length; i++) {
        channels[i].register(selector, SelectionKey.OP_READ, i);
      }
      startNanos = System.nanoTime();
      long warmEnd = startNanos + p.warmup().toNanos();
      long measureEnd = warmEnd + p.measure().toNanos();
      long measureStart = -1;
      long measureStop = -1;
      double serverCpu0 = -1;
      double serverCpu1 = -1;
      long genCpu0 = 0;
      long genCpu1 = 0;
      double[] machine0 = null;
      double[] machine1 = null;
      double self0 = -1;
      double self1 = -1;
      int phase = WARMUP;
      boolean draining = false;
      while (true) {
        long now = System.nanoTime();
        if (!draining) {
          if (phase == WARMUP && now >= warmEnd) {
            phase = MEASURE;
            measureStart = now;
            serverCpu0 = serverCpuSeconds();
            genCpu0 = mx.getCurrentThreadCpuTime();
            machine0 = machineCpuSeconds();
            self0 = processCpuSeconds(ProcessHandle.current().pid());
          }
          if (phase == MEASURE && (now >= measureEnd || sent[MEASURE] >= p.maxCount())) {
            draining = true;
            measureStop = now;
            serverCpu1 = serverCpuSeconds();
            genCpu1 = mx.getCurrentThreadCpuTime();
            machine1 = machineCpuSeconds();
            self1 = processCpuSeconds(ProcessHandle.current().pid());
          }
        }
        if (draining && (totalOutstanding() == 0 || now - measureStop > timeoutNanos)) {
          break;
        }
        if (!draining) {
          for (int i = 0; i < channels.length; i++) {
            while (outstanding[i] < p.window() && head - tail <= mask
                && (phase == WARMUP || sent[MEASURE] < p.maxCount())) {
              if (!send(i, phase, now)) {
                break;
              }
            }
          }
        }
        sweep(now, timeoutNanos);
        selector.select(this::readable, 1);
      }
      // whatever is still outstanding after the drain is lost
      sweep(Long.MAX_VALUE / 2, 0);
      double seconds = (measureStop - measureStart) / 1e9;
      double serverCpu = serverCpu0 < 0 || serverCpu1 < 0 ? -1 : serverCpu1 - serverCpu0;
      double machineBusy = machine0 == null || machine1 == null ? -1 : machine1[0] - machine0[0];
      double steal = machine0 == null || machine1 == null ? -1 : machine1[1] - machine0[1];
      double others = machineBusy < 0 || serverCpu < 0 || self0 < 0 || self1 < 0 ? -1
          : Math.max(0, machineBusy - serverCpu - (self1 - self0));
      int[] lat = Arrays.copyOf(latencies, latencyCount);
      Arrays.sort(lat);
      int secs = (int) Math.ceil((measureStop - startNanos) / 1e9);
      long[] series = Arrays.copyOf(perSecond, Math.min(perSecond.length, secs));
      return new LoadResult(p.sockets(), p.window(), p.warmup().toMillis() / 1000.0, seconds,
          sent[MEASURE], valid[MEASURE], lost[MEASURE], naks[MEASURE],
          badLength[MEASURE] + badMode[MEASURE] + badKeyId[MEASURE] + badMac[MEASURE],
          badMac[MEASURE], unmatched, sent[WARMUP], valid[WARMUP],
          naks[WARMUP] + badLength[WARMUP] + badMode[WARMUP] + badKeyId[WARMUP] + badMac[WARMUP],
          percentile(lat, 0.50), percentile(lat, 0.90), percentile(lat, 0.99),
          percentile(lat, 0.999), lat.length == 0 ? -1 : lat[lat.length - 1] / 1000.0,
          serverCpu, (genCpu1 - genCpu0) / 1e9, others, steal, series);
    } finally {
      for (DatagramChannel ch : channels) {
        ch.close();
      }
    }
  }

  private int totalOutstanding() {
    int n = 0;
    for (int o : outstanding) {
      n += o;
    }
    return n;
  }

  private boolean send(int socket, int phase, long now) throws IOException {
    long seq = head;
    int slot = (int) (seq & mask);
    int k = (int) (seq & (KEY_POOL - 1));
    ByteBuffer b = sendBufs[socket];
    byte[] a = b.array();
    long xmt = base + seq;
    for (int i = 0; i < 8; i++) {
      a[NtpHeader.OFFSET_TRANSMIT_TIMESTAMP + i] = (byte) (xmt >>> (56 - 8 * i));
    }
    engine.computeMac(requestKeys[k], a, 0, NtpHeader.LENGTH);
    b.clear();
    sendNanos[slot] = System.nanoTime();
    if (channels[socket].write(b) == 0) {
      return false; // send buffer full: try again after reading
    }
    slotKey[slot] = k;
    slotState[slot] = PENDING;
    slotPhase[slot] = (byte) phase;
    slotSocket[slot] = (short) socket;
    head++;
    outstanding[socket]++;
    sent[phase]++;
    return true;
  }

  /** Frees resolved slots at the tail and declares requests older than the timeout lost. */
  private void sweep(long now, long timeoutNanos) {
    while (tail < head) {
      int slot = (int) (tail & mask);
      if (slotState[slot] == PENDING) {
        if (now - sendNanos[slot] <= timeoutNanos) {
          return;
        }
        slotState[slot] = FREE;
        outstanding[slotSocket[slot]]--;
        lost[slotPhase[slot]]++;
      }
      tail++;
    }
  }

  private void readable(SelectionKey key) {
    int socket = (Integer) key.attachment();
    DatagramChannel ch = (DatagramChannel) key.channel();
    try {
      while (true) {
        recvBuf.clear();
        int n = ch.read(recvBuf);
        if (n <= 0) {
          return;
        }
        reply(socket, n, System.nanoTime());
      }
    } catch (IOException e) {
      // ICMP port unreachable surfaces as PortUnreachableException on a connected channel: the
      // request is then lost by timeout, which is what it is
      unmatched++;
    }
  }

  private void reply(int socket, int n, long now) {
    if (n < NtpHeader.LENGTH) {
      unmatched++;
      return;
    }
    long origin = readLong(recv, NtpHeader.OFFSET_ORIGIN_TIMESTAMP);
    long seq = origin - base;
    int slot = (int) (seq & mask);
    if (seq < tail || seq >= head || slotState[slot] != PENDING || slotSocket[slot] != socket) {
      unmatched++; // late (already declared lost), duplicated, or not ours
      return;
    }
    slotState[slot] = FREE;
    outstanding[socket]--;
    int phase = slotPhase[slot];
    int k = slotKey[slot];
    if (n == NtpHeader.LENGTH + 4 && readInt(recv, NtpHeader.LENGTH) == 0) {
      naks[phase]++;
      return;
    }
    if (n != replyLength) {
      badLength[phase]++;
      return;
    }
    if ((recv[0] & 7) != NtpHeader.MODE_SERVER) {
      badMode[phase]++;
      return;
    }
    if (readInt(recv, NtpHeader.LENGTH) != keyIds[k]) {
      badKeyId[phase]++;
      return;
    }
    if (engine.verifyMac(replyKeys[k], recv, 0, n, NtpHeader.LENGTH) != MacResult.VALID) {
      badMac[phase]++;
      return;
    }
    valid[phase]++;
    int sec = (int) ((now - startNanos) / 1_000_000_000L);
    if (sec >= 0 && sec < perSecond.length) {
      perSecond[sec]++;
    }
    if (phase == MEASURE && latencyCount < latencies.length) {
      latencies[latencyCount++] = (int) Math.min(Integer.MAX_VALUE, now - sendNanos[slot]);
    }
  }

  /** The server's user + system CPU seconds from /proc/PID/stat (USER_HZ = 100), or -1. */
  private double serverCpuSeconds() {
    if (p.serverPid() <= 0) {
      return -1;
    }
    return processCpuSeconds(p.serverPid());
  }

  /**
   * The machine's CPU seconds from the {@code cpu} line of /proc/stat: [user + nice + system,
   * steal], or null. Interrupt and softirq time are left out on purpose: with IRQ time accounting
   * the kernel charges loopback delivery there rather than to the sending process.
   */
  static double[] machineCpuSeconds() {
    try {
      String first = Files.readAllLines(Paths.get("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 9) {
        return null;
      }
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]);
      return new double[] {busy / 100.0, Long.parseLong(f[8]) / 100.0};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** User + system CPU seconds of process {@code pid} from /proc/PID/stat, or -1. */
  static double processCpuSeconds(long pid) {
    Path stat = Paths.get("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      // fields after the parenthesised command name: state is field 3, utime 14, stime 15
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static double percentile(int[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }

  private static long readLong(byte[] b, int off) {
    return ((long) readInt(b, off) << 32) | (readInt(b, off + 4) & 0xFFFF_FFFFL);
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
