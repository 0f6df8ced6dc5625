package dev.autokey.net;

import com.google.common.base.Preconditions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a unicast client or symmetric-active association ({@link NtpNode#client},
 * {@link NtpNode#peer}). Immutable; build with {@link #builder()}.
 */
public final class AssociationOptions {
  /** Default poll exponent: {@value} (8 s, the reference lab's {@code minpoll 3 maxpoll 3}). */
  public static final int DEFAULT_POLL = 3;
  /** Smallest poll exponent ntpd accepts: {@value}. */
  public static final int MIN_POLL = 3;
  /** Largest poll exponent: {@value}. */
  public static final int MAX_POLL = 17;
  /** Spacing of the initial burst packets ({@code iburst}): 2 s. */
  public static final Duration BURST_SPACING = Duration.ofSeconds(2);

  private final PacketAuthenticator authenticator;
  private final SampleListener listener;
  private final int poll;
  private final Duration interval;
  private final int burst;
  private final InetSocketAddress local;
  private final int version;

  private AssociationOptions(Builder b) {
    this.authenticator = b.authenticator;
    this.listener = b.listener;
    this.poll = b.poll;
    this.interval = b.interval != null ? b.interval : Duration.ofSeconds(1L << b.poll);
    this.burst = b.burst;
    this.local = b.local;
    this.version = b.version;
  }

  /** A builder with the defaults (no authentication, poll 3, no burst). */
  public static Builder builder() {
    return new Builder();
  }

  /** Defaults. */
  public static AssociationOptions defaults() {
    return builder().build();
  }

  /** The authenticator. */
  public PacketAuthenticator authenticator() {
    return authenticator;
  }

  /** The sample listener. */
  public SampleListener listener() {
    return listener;
  }

  /** The poll exponent written into headers. */
  public int poll() {
    return poll;
  }

  /** The interval between transmissions. */
  public Duration interval() {
    return interval;
  }

  /** Number of initial packets sent {@link #BURST_SPACING} apart (0 = none). */
  public int burst() {
    return burst;
  }

  /** The local socket address to send from, if fixed. */
  public Optional<InetSocketAddress> local() {
    return Optional.ofNullable(local);
  }

  /** NTP version written into headers (default 4). */
  public int version() {
    return version;
  }

  /** Builder. */
  public static final class Builder {
    private PacketAuthenticator authenticator = PacketAuthenticator.none();
    private SampleListener listener = s -> { };
    private int poll = DEFAULT_POLL;
    private Duration interval;
    private int burst;
    private InetSocketAddress local;
    private int version = 4;

    private Builder() {}

    /** The authenticator (default {@link PacketAuthenticator#none()}). */
    public Builder authenticator(PacketAuthenticator a) {
      this.authenticator = Objects.requireNonNull(a, "authenticator");
      return this;
    }

    /** Where usable samples go. */
    public Builder listener(SampleListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** Poll exponent {@value #MIN_POLL}..{@value #MAX_POLL}; interval 2^poll s unless set. */
    public Builder poll(int poll) {
      Preconditions.checkArgument(poll >= MIN_POLL && poll <= MAX_POLL, "poll %s not in %s..%s",
          poll, MIN_POLL, MAX_POLL);
      this.poll = poll;
      return this;
    }

    /**
     * Overrides the transmit interval (tests and demos may go below 2^3 s; the header still
     * says {@link #poll(int)}). At least 10 ms.
     */
    public Builder interval(Duration interval) {
      Preconditions.checkArgument(interval.toMillis() >= 10, "interval %s < 10 ms", interval);
      this.interval = interval;
      return this;
    }

    /** Initial burst of {@code n} packets (0..8), like ntpd's {@code iburst} (which sends 6). */
    public Builder burst(int n) {
      Preconditions.checkArgument(n >= 0 && n <= 8, "burst %s", n);
      this.burst = n;
      return this;
    }

    /** The local socket address to send from (must be bound by the node). */
    public Builder local(InetSocketAddress local) {
      this.local = Objects.requireNonNull(local, "local");
      return this;
    }

    /** NTP version 1..4 in headers. */
    public Builder version(int version) {
      Preconditions.checkArgument(version >= 1 && version <= 4, "version %s", version);
      this.version = version;
      return this;
    }

    /** Builds the options. */
    public AssociationOptions build() {
      return new AssociationOptions(this);
    }
  }
}
