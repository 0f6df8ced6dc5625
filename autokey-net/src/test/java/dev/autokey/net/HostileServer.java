package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A fake Autokey server on a real UDP socket, for tests: the honest answer to every request comes
 * from a real {@link dev.autokey.core.protocol.ServerResponder}; a {@link Hostility} may replace
 * it by any number of crafted datagrams. The transmit timestamps of crafted datagrams are
 * remembered ({@link #isHostile(long)}) so the client side can tell a lie from the truth.
 */
final class HostileServer implements AutoCloseable {
  /** The protocol step a request belongs to (its first field, or none). */
  enum Step { ASSOC, CERT, IDENTITY, COOK, AUTO, SIGN, LEAP, PLAIN, OTHER }

  /** Replaces the honest answer to one request. */
  @FunctionalInterface
  interface Hostility {
    /**
     * The datagrams to send instead of {@code x.honest()}, or {@code null} to behave.
     *
     * @param x the exchange
     */
    List<byte[]> answer(Exchange x) throws Exception;
  }

  /** One request and its honest answer, with forging helpers. */
  final class Exchange {
    final byte[] request;
    final AutokeyPacket requestPacket;
    final Step step;
    /** How many requests of this step came before this one (0 = first). */
    final int occurrence;
    final ServerResponse response;
    final long now;

    Exchange(byte[] request, AutokeyPacket requestPacket, Step step, int occurrence,
        ServerResponse response, long now) {
      this.request = request;
      this.requestPacket = requestPacket;
      this.step = step;
      this.occurrence = occurrence;
      this.response = response;
      this.now = now;
    }

    /** The honest answer (a copy). */
    byte[] honest() {
      return response.datagram();
    }

    /** The honest answer decoded. */
    AutokeyPacket honestPacket() throws MalformedPacketException {
      return PacketCodec.ntpd().decode(response.datagram());
    }

    /** The honest answer's first field. */
    ExtensionField honestField() throws MalformedPacketException {
      return honestPacket().fields().get(0);
    }

    /** The request's MAC key ID (the reply must echo it). */
    long keyId() {
      return requestPacket.mac().map(m -> m.keyId()).orElse(0L);
    }

    /** The request's transmit timestamp (the reply's origin). */
    long origin() {
      return requestPacket.header().transmitTimestamp();
    }

    /** The honest answer with its first field replaced, re-MACed with cookie 0. */
    byte[] forge(UnaryOperator<ExtensionField> f) throws MalformedPacketException {
      AutokeyPacket p = honestPacket();
      return packet(p.header(), List.of(f.apply(p.fields().get(0))), keyId());
    }

    /** A reply of {@code header}, {@code fields} and a cookie-0 MAC with {@code keyId}. */
    byte[] packet(NtpHeader header, List<ExtensionField> fields, long keyId) {
      int ef = 0;
      for (ExtensionField x : fields) {
        ef += x.length();
      }
      byte[] out = new byte[NtpHeader.LENGTH + ef + engine.macLength()];
      ByteBuffer b = ByteBuffer.wrap(out);
      header.writeTo(b);
      for (ExtensionField x : fields) {
        x.writeTo(b);
      }
      return remac(out, keyId);
    }

    /**
     * Recomputes the cookie-0 MAC over everything before the last {@code macLength()} bytes of
     * {@code datagram} (which may be malformed in between), with {@code keyId}.
     */
    byte[] remac(byte[] datagram, long keyId) {
      engine.computeMac(toClient, (int) keyId, 0, datagram, 0,
          datagram.length - engine.macLength());
      return datagram;
    }

    /** A signature by the server's key over (ts, fs, value), as the server would make it. */
    byte[] sign(long ts, long fs, byte[] value) throws AutokeyException {
      return host.cryptoSuite().signer().sign(SignedBytes.of(ts, fs, value));
    }

    /** The honest reply header. */
    NtpHeader header() throws MalformedPacketException {
      return honestPacket().header();
    }
  }

  private final AutokeyHost host;
  private final DatagramChannel channel;
  private final InetSocketAddress address;
  private final SessionKeyEngine engine = SessionKeyEngine.md5();
  private final NtpClock clock = NtpClock.system();
  private final Thread thread;
  private volatile Hostility hostility;
  private volatile AutokeyHost responderHost;
  private volatile InetAddress clientAddress;
  private AddressPair toClient;
  private final Map<Step, AtomicInteger> steps = new EnumMap<>(Step.class);
  private final Set<Long> hostileXmt = ConcurrentHashMap.newKeySet();
  private final Set<Long> honestXmt = ConcurrentHashMap.newKeySet();
  private final AtomicInteger hostileAnswers = new AtomicInteger();
  private final AtomicInteger hostileDatagrams = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger datagramsSent = new AtomicInteger();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();

  HostileServer(InetAddress bind, AutokeyHost host, Hostility hostility) throws IOException {
    this.host = host;
    this.responderHost = host;
    this.hostility = hostility;
    for (Step s : Step.values()) {
      steps.put(s, new AtomicInteger());
    }
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(bind, 0));
    address = (InetSocketAddress) channel.getLocalAddress();
    thread = new Thread(this::loop, "hostile-server");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return address;
  }

  /** Answers with another host's responder (e.g. a middleman with the wrong group key). */
  void respondAs(AutokeyHost other) {
    responderHost = other;
  }

  /** Whether a datagram with this transmit timestamp was crafted. */
  boolean isHostile(long xmt) {
    return hostileXmt.contains(xmt);
  }

  /** Whether a datagram with this transmit timestamp was an honest answer. */
  boolean isHonest(long xmt) {
    return honestXmt.contains(xmt);
  }

  /** Marks a transmit timestamp as crafted (for replays of honest datagrams). */
  void markHostile(long xmt) {
    hostileXmt.add(xmt);
  }

  /** Number of requests whose answer was replaced. */
  int hostileAnswers() {
    return hostileAnswers.get();
  }

  /** Number of crafted datagrams sent. */
  int hostileDatagrams() {
    return hostileDatagrams.get();
  }

  int requests() {
    return requests.get();
  }

  /**
   * Number of requests fully handled: every datagram of the answer (honest or crafted) has been
   * handed to the socket, and {@link #datagramsSent()} counts it.
   */
  int answered() {
    return answered.get();
  }

  /** Number of datagrams sent to the client (answers, crafted datagrams and {@link #send}). */
  int datagramsSent() {
    return datagramsSent.get();
  }

  int stepCount(Step s) {
    return steps.get(s).get();
  }

  /** Sends {@code datagram} to the client from the server's socket. */
  void send(byte[] datagram, InetSocketAddress to) throws IOException {
    channel.send(ByteBuffer.wrap(datagram), to);
    datagramsSent.incrementAndGet();
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (channel.isOpen()) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
        long now = clock.now();
        buf.flip();
        byte[] req = new byte[buf.remaining()];
        buf.get(req);
        try {
          handle(req, from, now);
        } finally {
          answered.incrementAndGet();
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (Exception | AssertionError e) {
        errors.add(e);
      }
    }
  }

  private void handle(byte[] req, InetSocketAddress from, long now) throws Exception {
    requests.incrementAndGet();
    AutokeyPacket p = PacketCodec.ntpd().decode(req);
    if (clientAddress == null) {
      clientAddress = from.getAddress();
      toClient = AddressPair.of(address.getAddress(), from.getAddress());
    }
    NtpHeader rq = p.header();
    NtpHeader rh = NtpHeader.builder().leap(0).version(rq.version()).mode(NtpHeader.MODE_SERVER)
        .stratum(2).poll(rq.poll()).precision(-20).rootDispersion(0x10)
        .referenceId(0x4C4F434CL).referenceTimestamp(now).originTimestamp(rq.transmitTimestamp())
        .receiveTimestamp(now).transmitTimestamp(clock.now()).build();
    ServerResponse r = responderHost.responder().respond(req, 0, req.length, from.getAddress(),
        address.getAddress(), now, rh);
    Step step = stepOf(p);
    int occurrence = steps.get(step).getAndIncrement();
    Exchange x = new Exchange(req, p, step, occurrence, r, now);
    Hostility h = hostility;
    List<byte[]> out = h == null ? null : h.answer(x);
    if (out == null) {
      if (r.kind() != ServerResponse.Kind.DROP) {
        honestXmt.add(ByteBuffer.wrap(r.datagram(), 40, 8).getLong());
        send(r.datagram(), from);
      }
      return;
    }
    hostileAnswers.incrementAndGet();
    byte[] honest = r.datagram();
    for (byte[] d : out) {
      if (d.length >= NtpHeader.LENGTH && !java.util.Arrays.equals(d, honest)) {
        hostileXmt.add(ByteBuffer.wrap(d, 40, 8).getLong());
      }
      hostileDatagrams.incrementAndGet();
      send(d, from);
    }
  }

  static Step stepOf(AutokeyPacket p) {
    if (p.fields().isEmpty()) {
      return Step.PLAIN;
    }
    Opcode op = p.fields().get(0).opcode();
    if (op.equals(Opcode.ASSOC)) {
      return Step.ASSOC;
    } else if (op.equals(Opcode.CERT)) {
      return Step.CERT;
    } else if (op.isIdentity()) {
      return Step.IDENTITY;
    } else if (op.equals(Opcode.COOK)) {
      return Step.COOK;
    } else if (op.equals(Opcode.AUTO)) {
      return Step.AUTO;
    } else if (op.equals(Opcode.SIGN)) {
      return Step.SIGN;
    } else if (op.equals(Opcode.LEAP)) {
      return Step.LEAP;
    }
    return Step.OTHER;
  }

  /** All crafted datagrams' transmit timestamps (a copy). */
  List<Long> hostileTimestamps() {
    return new ArrayList<>(hostileXmt);
  }

  @Override
  public void close() throws IOException {
    channel.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
