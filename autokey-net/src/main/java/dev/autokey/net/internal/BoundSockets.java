package dev.autokey.net.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bound sockets of a UDP transport: one non-blocking socket per local address (never the
 * wildcard, whose datagrams cannot tell which local address they were sent to), plus receive-only
 * sockets bound to IPv4 broadcast addresses, and the lookups by local address. Immutable once
 * bound; {@link #close()} closes every socket.
 */
public final class BoundSockets {
  private static final System.Logger LOG = System.getLogger(BoundSockets.class.getName());

  /**
   * One bound socket.
   *
   * @param channel the non-blocking channel
   * @param local the bound address and port
   * @param broadcast whether it is a receive-only socket bound to a broadcast address
   */
  public record Endpoint(DatagramChannel channel, InetSocketAddress local, boolean broadcast) {}

  /**
   * Every address of every interface that is up, bound at start.
   *
   * @param port the port of every socket (0: the port the first socket gets)
   * @param withBroadcast whether each IPv4 broadcast address is bound as well
   */
  public record AllAddresses(int port, boolean withBroadcast) {}

  private final List<Endpoint> endpoints;
  private final Map<InetSocketAddress, Endpoint> byLocal;

  private BoundSockets(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    Map<InetSocketAddress, Endpoint> m = new LinkedHashMap<>();
    for (Endpoint e : endpoints) {
      m.put(e.local(), e);
    }
    this.byLocal = Collections.unmodifiableMap(m);
  }

  /**
   * Binds the unicast addresses, then the broadcast addresses, then the interfaces' addresses.
   *
   * @param receiveBuffer the {@code SO_RCVBUF} requested for every socket
   * @throws IOException if a socket cannot be opened or bound (the ones opened are closed again)
   * @throws IllegalStateException if nothing was bound
   */
  public static BoundSockets bind(List<InetSocketAddress> unicast,
      List<InetSocketAddress> broadcast, List<AllAddresses> all, int receiveBuffer)
      throws IOException {
    List<Endpoint> opened = new ArrayList<>();
    try {
      for (InetSocketAddress a : unicast) {
        opened.add(open(a, false, receiveBuffer));
      }
      for (InetSocketAddress a : broadcast) {
        opened.add(open(a, true, receiveBuffer));
      }
      for (AllAddresses spec : all) {
        bindInterfaces(spec, receiveBuffer, opened);
      }
      if (opened.isEmpty()) {
        throw new IllegalStateException("no address bound");
      }
      return new BoundSockets(opened);
    } catch (IOException | RuntimeException ex) {
      for (Endpoint e : opened) {
        try {
          e.channel().close();
        } catch (IOException suppressed) {
          ex.addSuppressed(suppressed);
        }
      }
      throw ex;
    }
  }

  private static void bindInterfaces(AllAddresses spec, int receiveBuffer, List<Endpoint> opened)
      throws IOException {
    int port = spec.port();
    Set<InetAddress> bcast = new LinkedHashSet<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp()) {
        continue;
      }
      for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
        Endpoint e = open(new InetSocketAddress(ia.getAddress(), port), false, receiveBuffer);
        opened.add(e);
        if (port == 0) {
          port = e.local().getPort();
        }
        if (spec.withBroadcast() && ia.getBroadcast() != null) {
          bcast.add(ia.getBroadcast());
        }
      }
    }
    for (InetAddress b : bcast) {
      opened.add(open(new InetSocketAddress(b, port), true, receiveBuffer));
    }
  }

  private static Endpoint open(InetSocketAddress a, boolean isBroadcast, int receiveBuffer)
      throws IOException {
    if (isBroadcast) {
      // JDK 17 refuses to bind an AF_INET DatagramChannel to a broadcast address (no bind(2)
      // is even attempted); a dual-stack IPv6 socket bound to the IPv4-mapped address works on
      // Linux and reports plain IPv4 addresses. Fall back to IPv4 where IPv6 is unavailable.
      try {
        return open(a, true, StandardProtocolFamily.INET6, receiveBuffer);
      } catch (IOException | UnsupportedOperationException ex) {
        return open(a, true, StandardProtocolFamily.INET, receiveBuffer);
      }
    }
    ProtocolFamily family = a.getAddress() instanceof Inet4Address
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    return open(a, false, family, receiveBuffer);
  }

  private static Endpoint open(InetSocketAddress a, boolean isBroadcast, ProtocolFamily family,
      int receiveBuffer) throws IOException {
    DatagramChannel ch = DatagramChannel.open(family);
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      if (family == StandardProtocolFamily.INET || isBroadcast) {
        ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
      }
      if (isBroadcast) {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      }
      ch.bind(a);
      InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
      return new Endpoint(ch, bound, isBroadcast);
    } catch (IOException | RuntimeException ex) {
      ch.close();
      throw new IOException("bind " + a + ": " + ex.getMessage(), ex);
    }
  }

  /** Every socket, unicast first in binding order. */
  public List<Endpoint> all() {
    return endpoints;
  }

  /** The unicast socket bound to {@code local}, or {@code null}. */
  public Endpoint unicast(InetSocketAddress local) {
    Endpoint e = byLocal.get(local);
    return e == null || e.broadcast() ? null : e;
  }

  /** The addresses of the unicast sockets ({@code broadcast false}) or the broadcast ones. */
  public List<InetSocketAddress> addresses(boolean broadcast) {
    List<InetSocketAddress> l = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (e.broadcast() == broadcast) {
        l.add(e.local());
      }
    }
    return List.copyOf(l);
  }

  /**
   * The unicast socket address for local address {@code address}.
   *
   * @throws IllegalArgumentException if no socket is bound to it
   */
  public InetSocketAddress localAddress(InetAddress address) {
    for (Endpoint e : endpoints) {
      if (!e.broadcast() && e.local().getAddress().equals(address)) {
        return e.local();
      }
    }
    throw new IllegalArgumentException("no socket bound to " + address.getHostAddress());
  }

  /**
   * The first unicast socket address of the family of {@code remote}.
   *
   * @throws IllegalArgumentException if none of the family is bound
   */
  public InetSocketAddress localAddressFor(InetSocketAddress remote) {
    boolean v4 = remote.getAddress() instanceof Inet4Address;
    for (Endpoint e : endpoints) {
      if (!e.broadcast() && (e.local().getAddress() instanceof Inet4Address) == v4) {
        return e.local();
      }
    }
    throw new IllegalArgumentException("no " + (v4 ? "IPv4" : "IPv6") + " socket bound for "
        + remote);
  }

  /** Closes every socket (failures are logged). */
  public void close() {
    for (Endpoint e : endpoints) {
      try {
        e.channel().close();
      } catch (IOException ex) {
        LOG.log(Level.DEBUG, () -> "close " + e.local() + ": " + ex);
      }
    }
  }
}
