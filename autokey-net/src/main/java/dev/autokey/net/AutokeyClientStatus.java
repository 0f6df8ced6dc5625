package dev.autokey.net;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.wire.HostStatus;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of an {@link AutokeyClient} ({@link AutokeyClient#status()}): whether the client's
 * host counts its clock as synchronised, and per server the Autokey flags lit, the certificate
 * trail, the last authenticated sample and the packet counts. Immutable.
 *
 * @param synchronised whether the client's host counts its clock as synchronised (it learns this
 *     from its first sample usable for time; only then does it ask for SIGN)
 * @param servers one entry per configured server, in the order they were given
 */
public record AutokeyClientStatus(boolean synchronised, List<Server> servers) {
  /** The seven progress flags a complete exchange lights, in protocol order. */
  public static final List<HostStatus.Flag> PROGRESS_FLAGS = List.of(HostStatus.Flag.CERT,
      HostStatus.Flag.VRFY, HostStatus.Flag.PROV, HostStatus.Flag.COOK, HostStatus.Flag.AUTO,
      HostStatus.Flag.SIGN, HostStatus.Flag.LEAP);

  /** Copies the list. */
  public AutokeyClientStatus {
    servers = List.copyOf(servers);
  }

  /** Whether every server has all seven progress flags lit. */
  public boolean allFlags() {
    return !servers.isEmpty() && servers.stream().allMatch(Server::allFlags);
  }

  /** Authenticated samples taken from all servers so far. */
  public long samples() {
    return servers.stream().mapToLong(Server::samples).sum();
  }

  /** The entry for {@code server}. */
  public Optional<Server> server(InetSocketAddress server) {
    return servers.stream().filter(s -> s.server().equals(server)).findFirst();
  }

  /**
   * One server's association.
   *
   * @param server the server's address
   * @param local the local socket address the association sends from (the session keys' source)
   * @param flags the engine's status word for the association: the server's status bits and the
   *     progress flags lit so far (the value ntpd shows as {@code flags=0x...})
   * @param trail the certificate trail walked so far (first = the server's certificate)
   * @param lastSample the latest authenticated sample
   * @param samples authenticated samples taken
   * @param lastKeyId the key ID of the latest request (0 before the first)
   * @param sent requests the engine completed and handed to the socket
   * @param received replies that passed the NTP checks (origin of our last request, no
   *     duplicate) and went to the engine
   * @param rejected replies the engine rejected among them (bad MAC, bad field, ...)
   */
  public record Server(InetSocketAddress server, InetSocketAddress local, long flags,
      List<CertificateInfo> trail, Optional<TimeSample> lastSample, long samples, long lastKeyId,
      long sent, long received, long rejected) {
    /** Checks the addresses and copies the trail. */
    public Server {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(local, "local");
      trail = List.copyOf(trail);
      Objects.requireNonNull(lastSample, "lastSample");
    }

    /** The progress flags lit, in protocol order. */
    public Set<HostStatus.Flag> lit() {
      Set<HostStatus.Flag> s = EnumSet.noneOf(HostStatus.Flag.class);
      for (HostStatus.Flag f : PROGRESS_FLAGS) {
        if ((flags & f.bit()) != 0) {
          s.add(f);
        }
      }
      return Collections.unmodifiableSet(s);
    }

    /** Whether all seven progress flags are lit. */
    public boolean allFlags() {
      return lit().size() == PROGRESS_FLAGS.size();
    }

    /** The server, flags in hex with the names lit, trail subjects, last offset and counts. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("Server[").append(server).append(" from ")
          .append(local).append(String.format(Locale.ROOT, ", flags 0x%08x ", flags))
          .append(lit()).append(", trail [");
      for (int i = 0; i < trail.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(trail.get(i).subject());
      }
      b.append("], samples ").append(samples);
      lastSample.ifPresent(s -> b.append(String.format(Locale.ROOT, ", last offset %+.6f s",
          s.offsetSeconds())));
      return b.append(String.format(Locale.ROOT, ", key ID 0x%08x, sent %d, received %d, "
          + "rejected %d]", lastKeyId, sent, received, rejected)).toString();
    }
  }
}
