package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Objects;

/** Address checks and route lookups of the front door ({@link AutokeyClient}, {@link AutokeyServer}). */
final class Endpoints {
  /** The message of the {@link NullPointerException} for a builder without key material. */
  static final String NO_KEYS = "keys: no key material; pass the host's CryptoSuite, e.g. "
      + "BcCryptoSuite.fromKeysDirectory(dir, host, ident, password, groups, policy, random) "
      + "from autokey-crypto";

  private Endpoints() {}

  /** A group name: 1..255 characters. */
  static String checkIdent(String group) {
    Objects.requireNonNull(group, "group");
    if (group.isEmpty() || group.length() > 255) {
      throw new IllegalArgumentException("ident length " + group.length() + " not in 1..255");
    }
    return group;
  }

  /** A session digest name ntpd knows ({@code MD5}, {@code SHA1}, ...). */
  static String checkDigest(String name) {
    Objects.requireNonNull(name, "digest");
    try {
      DigestAlgorithm.forOpenSslName(name);
    } catch (AutokeyException e) {
      throw new IllegalArgumentException("session digest: " + e.getMessage(), e);
    }
    return name;
  }

  /** A server to poll: resolved, unicast, with a port. */
  static void checkServer(InetSocketAddress server) {
    Objects.requireNonNull(server, "server");
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("server address " + server + " is unresolved: resolve "
          + "it first (new InetSocketAddress(InetAddress.getByName(name), 123))");
    }
    InetAddress a = server.getAddress();
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      throw new IllegalArgumentException("server address " + a.getHostAddress()
          + " is not a unicast host address");
    }
    if (server.getPort() == 0) {
      throw new IllegalArgumentException("server " + a.getHostAddress() + " has port 0 (ntpd "
          + "listens on 123)");
    }
  }

  /** A local address to bind: resolved, one host address (never the wildcard). */
  static void checkBind(InetSocketAddress local) {
    Objects.requireNonNull(local, "local");
    if (local.isUnresolved()) {
      throw new IllegalArgumentException("local address " + local + " is unresolved");
    }
    InetAddress a = local.getAddress();
    if (a.isAnyLocalAddress()) {
      throw new IllegalArgumentException("cannot bind the wildcard address " + local
          + ": the session keys need the local address of each datagram, so bind each local "
          + "address itself (e.g. 192.0.2.2:0)");
    }
    if (a.isMulticastAddress()) {
      throw new IllegalArgumentException("cannot bind the multicast address " + local);
    }
  }

  /** Checks that one of {@code binds} has the address family of {@code server}. */
  static void checkFamilyBound(InetSocketAddress server, List<InetSocketAddress> binds) {
    boolean v4 = server.getAddress() instanceof Inet4Address;
    for (InetSocketAddress b : binds) {
      if ((b.getAddress() instanceof Inet4Address) == v4) {
        return;
      }
    }
    throw new IllegalArgumentException("server " + server + " is " + (v4 ? "IPv4" : "IPv6")
        + " but no local " + (v4 ? "IPv4" : "IPv6") + " address is bound: bind one, or none "
        + "to use the routes' source addresses");
  }

  /** The local address the kernel sends to {@code server} from (a route lookup, no packet). */
  static InetAddress routeSource(InetSocketAddress server) {
    try (DatagramChannel ch = DatagramChannel.open(server.getAddress() instanceof Inet4Address
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
      ch.connect(server);
      InetAddress a = ((InetSocketAddress) ch.getLocalAddress()).getAddress();
      if (a.isAnyLocalAddress()) {
        throw new IOException("the kernel reports no source address");
      }
      return a;
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("no route to server " + server + ": " + e.getMessage(),
          e);
    }
  }
}
