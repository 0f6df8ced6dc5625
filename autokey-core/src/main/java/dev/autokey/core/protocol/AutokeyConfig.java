package dev.autokey.core.protocol;

import dev.autokey.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable engine configuration with ntpd's names and defaults (docs/protocol.md §12.1–§12.2,
 * §11.7). Key material is not here: it comes with the {@link CryptoSuite}.
 *
 * <ul>
 *   <li>{@code ident} — the group name of ephemeral associations (ntpd's top-level {@code ident};
 *       per-association names go to {@link AutokeyHost#client}); selects the identity parameters
 *       and is used in group tests (§11.8). Default: none (TC only).
 *   <li>{@code digest} — the session digest (ntpd's {@code crypto digest}), default {@code MD5}.
 *   <li>{@code automax} — key-list lifetime and key-ageing exponent, 2^12 s by default (3..31).
 *   <li>{@code revoke} — server private-value refresh exponent, 2^17 s by default (3..31). Unlike
 *       ntpd 4.2.8p15, whose timer never fires, the value is really regenerated.
 *   <li>{@code refresh} — protocol refresh exponent (ntpd's {@code NTP_REFRESH}), 2^19 s.
 *   <li>{@code policy} — {@link Policy#LEGACY} (ntpd: any self-signed trustRoot certificate is a
 *       trust anchor) or {@link Policy#STRICT} (only the pinned {@code trustAnchors}).
 *   <li>{@code groupRule} — ntpd's group-name tests (§11.8) or none.
 *   <li>{@code budget} — the server's work budget for expensive fields.
 *   <li>{@code resetOnCryptoNak} — whether a valid crypto-NAK resets the association (ntpd: yes).
 *   <li>{@code synchronisation} — how the host learns that its clock is synchronised:
 *       {@link Synchronisation#LEARN_FROM_SAMPLES} (default) or {@link Synchronisation#EXTERNAL}.
 * </ul>
 */
public final class AutokeyConfig {
  /** ntpd's default {@code automax} exponent. */
  public static final int DEFAULT_AUTOMAX = 12;
  /** ntpd's default {@code revoke} exponent. */
  public static final int DEFAULT_REVOKE = 17;
  /** ntpd's {@code NTP_REFRESH} exponent. */
  public static final int DEFAULT_REFRESH = 19;
  /** Default maximum certificate-trail length. */
  public static final int DEFAULT_MAX_TRAIL = 8;
  /** Default certificate cache capacity. */
  public static final int DEFAULT_CERT_CACHE = 64;

  /** Trust policy. */
  public enum Policy {
    /** ntpd 4.2.8p15: any self-signed certificate with the trustRoot EKU is trusted. */
    LEGACY,
    /** Only the configured trust anchors are trusted; other trustRoot certificates are refused. */
    STRICT
  }

  /** Group-name rule (docs/protocol.md §11.8). */
  /**
   * How the host learns that its clock is synchronised, which gates what it signs (ntpd signs its
   * values and timestamps only once {@code sys_leap} is not "unsynchronised"; a client asks for
   * SIGN only after that).
   */
  public enum Synchronisation {
    /**
     * The host becomes synchronised at the first sample any of its associations accepts as usable
     * for time (a proventic, authenticated packet), as ntpd does after its first clock update. A
     * host with its own reference (a server at stratum N on a local clock) still reports it once
     * with {@link AutokeyHost#setSynchronised}. The default.
     */
    LEARN_FROM_SAMPLES,
    /**
     * Only {@link AutokeyHost#setSynchronised} changes the condition: for an NTP implementation
     * whose own clock discipline decides when the clock is synchronised.
     */
    EXTERNAL
  }

  public enum GroupRule {
    /** ntpd's rule: a grouped host drops ASSOC fields without '@' and from foreign groups. */
    NTPD,
    /** No group test (for scenarios that link hosts of different groups). */
    NONE
  }

  private final Optional<String> ident;
  private final String digest;
  private final int automax;
  private final int revoke;
  private final int refresh;
  private final Policy policy;
  private final GroupRule groupRule;
  private final boolean requireIdentity;
  private final List<byte[]> trustAnchors;
  private final WorkBudget budget;
  private final boolean resetOnCryptoNak;
  private final int maxTrailLength;
  private final int certificateCacheCapacity;
  private final boolean ntpdPrivateValue;
  private final Synchronisation synchronisation;

  private AutokeyConfig(Builder b) {
    this.ntpdPrivateValue = b.ntpdPrivateValue;
    this.synchronisation = b.synchronisation;
    this.ident = b.ident;
    this.digest = b.digest;
    this.automax = b.automax;
    this.revoke = b.revoke;
    this.refresh = b.refresh;
    this.policy = b.policy;
    this.groupRule = b.groupRule;
    this.requireIdentity = b.requireIdentity;
    List<byte[]> anchors = new ArrayList<>();
    for (byte[] a : b.trustAnchors) {
      anchors.add(a.clone());
    }
    this.trustAnchors = Collections.unmodifiableList(anchors);
    this.budget = b.budget;
    this.resetOnCryptoNak = b.resetOnCryptoNak;
    this.maxTrailLength = b.maxTrailLength;
    this.certificateCacheCapacity = b.certificateCacheCapacity;
  }

  /** ntpd's defaults. */
  public static AutokeyConfig defaults() {
    return builder().build();
  }

  /** A builder with ntpd's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ident = ident;
    b.digest = digest;
    b.automax = automax;
    b.revoke = revoke;
    b.refresh = refresh;
    b.policy = policy;
    b.groupRule = groupRule;
    b.requireIdentity = requireIdentity;
    b.trustAnchors.addAll(trustAnchors);
    b.budget = budget;
    b.resetOnCryptoNak = resetOnCryptoNak;
    b.maxTrailLength = maxTrailLength;
    b.certificateCacheCapacity = certificateCacheCapacity;
    b.ntpdPrivateValue = ntpdPrivateValue;
    b.synchronisation = synchronisation;
    return b;
  }

  /** The group name for ephemeral associations. */
  public Optional<String> ident() {
    return ident;
  }

  /** The session digest name (OpenSSL short name, e.g. {@code MD5}, {@code SHA1}). */
  public String digest() {
    return digest;
  }

  /** The {@code automax} exponent. */
  public int automax() {
    return automax;
  }

  /** The {@code revoke} exponent. */
  public int revoke() {
    return revoke;
  }

  /** The protocol-refresh exponent. */
  public int refresh() {
    return refresh;
  }

  /** The trust policy. */
  public Policy policy() {
    return policy;
  }

  /** The group-name rule. */
  public GroupRule groupRule() {
    return groupRule;
  }

  /**
   * Whether an association with a group ({@code ident}) name refuses a server that advertises no
   * identity scheme ({@code XEVNT_ID}) instead of falling back to the trusted certificate alone
   * as ntpd does. On = the mission's cryptotype table (an IDENT client works only with an IDENT
   * server); default off (ntpd).
   */
  public boolean requireIdentity() {
    return requireIdentity;
  }

  /** Pinned trust anchors (DER certificates; defensive copies). */
  public List<byte[]> trustAnchors() {
    List<byte[]> out = new ArrayList<>(trustAnchors.size());
    for (byte[] a : trustAnchors) {
      out.add(a.clone());
    }
    return out;
  }

  /** The server work budget. */
  public WorkBudget budget() {
    return budget;
  }

  /** Whether a valid crypto-NAK resets the association. */
  public boolean resetOnCryptoNak() {
    return resetOnCryptoNak;
  }

  /** The longest certificate trail accepted. */
  public int maxTrailLength() {
    return maxTrailLength;
  }

  /** The certificate cache capacity. */
  public int certificateCacheCapacity() {
    return certificateCacheCapacity;
  }

  /** Whether the server private value is ntpd 4.2.8p15's constant 0 (for replay tests). */
  public boolean ntpdPrivateValue() {
    return ntpdPrivateValue;
  }

  /** How the host learns that its clock is synchronised. */
  public Synchronisation synchronisation() {
    return synchronisation;
  }

  @Override
  public String toString() {
    return "AutokeyConfig{ident=" + ident.orElse("-") + ", digest=" + digest + ", automax="
        + automax + ", revoke=" + revoke + ", refresh=" + refresh + ", policy=" + policy
        + ", groupRule=" + groupRule + ", trustAnchors=" + trustAnchors.size() + ", budget="
        + budget + ", synchronisation=" + synchronisation + "}";
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private Optional<String> ident = Optional.empty();
    private String digest = "MD5";
    private int automax = DEFAULT_AUTOMAX;
    private int revoke = DEFAULT_REVOKE;
    private int refresh = DEFAULT_REFRESH;
    private Policy policy = Policy.LEGACY;
    private GroupRule groupRule = GroupRule.NTPD;
    private boolean requireIdentity;
    private final List<byte[]> trustAnchors = new ArrayList<>();
    private WorkBudget budget = WorkBudget.defaults();
    private boolean resetOnCryptoNak = true;
    private int maxTrailLength = DEFAULT_MAX_TRAIL;
    private int certificateCacheCapacity = DEFAULT_CERT_CACHE;
    private boolean ntpdPrivateValue;
    private Synchronisation synchronisation = Synchronisation.LEARN_FROM_SAMPLES;

    private Builder() {}

    /** How the host learns that its clock is synchronised (default: from accepted samples). */
    public Builder synchronisation(Synchronisation s) {
      this.synchronisation = Objects.requireNonNull(s, "synchronisation");
      return this;
    }

    /**
     * Use ntpd 4.2.8p15's constant private value 0 (cookies become a public function of the
     * addresses; docs/protocol.md §7.7). Only for reproducing captured traffic; default false (a
     * secret random value, regenerated every 2^revoke s).
     */
    public Builder ntpdPrivateValue(boolean zero) {
      this.ntpdPrivateValue = zero;
      return this;
    }

    /** ntpd's top-level {@code ident}. */
    public Builder ident(String group) {
      Objects.requireNonNull(group, "group");
      Checks.argument(!group.isEmpty() && group.length() <= 255,
          "ident length %s not in 1..255", group.length());
      this.ident = Optional.of(group);
      return this;
    }

    /** ntpd's {@code crypto digest}. */
    public Builder digest(String name) {
      this.digest = Objects.requireNonNull(name, "digest");
      return this;
    }

    /** ntpd's {@code automax}, 3..31. */
    public Builder automax(int exponent) {
      Checks.argument(exponent >= 3 && exponent <= 31, "automax %s not in 3..31",
          exponent);
      this.automax = exponent;
      return this;
    }

    /** ntpd's {@code revoke}, 3..31. */
    public Builder revoke(int exponent) {
      Checks.argument(exponent >= 3 && exponent <= 31, "revoke %s not in 3..31",
          exponent);
      this.revoke = exponent;
      return this;
    }

    /** Protocol-refresh exponent, 3..31. */
    public Builder refresh(int exponent) {
      Checks.argument(exponent >= 3 && exponent <= 31, "refresh %s not in 3..31",
          exponent);
      this.refresh = exponent;
      return this;
    }

    /** Trust policy. */
    public Builder policy(Policy p) {
      this.policy = Objects.requireNonNull(p, "policy");
      return this;
    }

    /** See {@link AutokeyConfig#requireIdentity()}; default false (ntpd). */
    public Builder requireIdentity(boolean require) {
      this.requireIdentity = require;
      return this;
    }

    /** Group-name rule. */
    public Builder groupRule(GroupRule r) {
      this.groupRule = Objects.requireNonNull(r, "groupRule");
      return this;
    }

    /** Adds a pinned trust anchor (a trusted host's self-signed certificate, DER). */
    public Builder addTrustAnchor(byte[] der) {
      Objects.requireNonNull(der, "der");
      Checks.argument(der.length > 0 && der.length <= 65_511,
          "trust anchor length %s not in 1..65511", der.length);
      trustAnchors.add(der.clone());
      return this;
    }

    /** Server work budget. */
    public Builder budget(WorkBudget b) {
      this.budget = Objects.requireNonNull(b, "budget");
      return this;
    }

    /** Whether a valid crypto-NAK resets the association (default true, like ntpd). */
    public Builder resetOnCryptoNak(boolean reset) {
      this.resetOnCryptoNak = reset;
      return this;
    }

    /** Longest certificate trail, 1..64. */
    public Builder maxTrailLength(int n) {
      Checks.argument(n >= 1 && n <= 64, "maxTrailLength %s not in 1..64", n);
      this.maxTrailLength = n;
      return this;
    }

    /** Certificate cache capacity, 1..65536. */
    public Builder certificateCacheCapacity(int n) {
      Checks.argument(n >= 1 && n <= 65_536,
          "certificateCacheCapacity %s not in 1..65536", n);
      this.certificateCacheCapacity = n;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException if STRICT is chosen without any trust anchor
     */
    public AutokeyConfig build() {
      if (policy == Policy.STRICT && trustAnchors.isEmpty()) {
        throw new IllegalStateException("policy STRICT needs at least one trust anchor");
      }
      return new AutokeyConfig(this);
    }
  }
}
