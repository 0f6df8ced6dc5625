package dev.autokey.crypto.suite;

import dev.autokey.core.AutokeyException;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Objects;

/**
 * The former name of {@link EphemeralHosts}; every method delegates to it.
 *
 * @deprecated use {@link EphemeralHosts} (same methods, record {@link EphemeralHosts.Host});
 *     kept only until {@code autokey-demo} and the README example have moved to it
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class TestHosts {
  /** {@link EphemeralHosts#DEFAULT_BITS}. */
  public static final int DEFAULT_BITS = EphemeralHosts.DEFAULT_BITS;

  private TestHosts() {}

  /**
   * {@link EphemeralHosts.Host} under its former name.
   *
   * @param name the Autokey host name ({@code host} or {@code host@group})
   * @param hostKey the RSA host key (also the sign key)
   * @param certificate the self-signed certificate, DER
   * @param filestamp the filestamp of both files
   * @deprecated use {@link EphemeralHosts.Host}
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public record Host(String name, RSAPrivateCrtKey hostKey, byte[] certificate, long filestamp) {
    /** Copies the certificate. */
    public Host {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(hostKey, "hostKey");
      certificate = certificate.clone();
    }

    private static Host of(EphemeralHosts.Host h) {
      return new Host(h.name(), h.hostKey(), h.certificate(), h.filestamp());
    }

    private EphemeralHosts.Host current() {
      return new EphemeralHosts.Host(name, hostKey, certificate, filestamp);
    }

    /** A copy of the certificate (DER). */
    @Override
    public byte[] certificate() {
      return certificate.clone();
    }

    /** {@link EphemeralHosts.Host#suite}. */
    public BcCryptoSuite.Builder suite(SecureRandom random) {
      return current().suite(random);
    }

    /** {@link EphemeralHosts.Host#tcSuite}. */
    public BcCryptoSuite tcSuite(SecureRandom random) throws AutokeyException {
      return current().tcSuite(random);
    }

    @Override
    public String toString() {
      return current().toString();
    }
  }

  /** {@link EphemeralHosts#generate}. */
  public static Host generate(String name, NtpCertificates.Kind kind, int bits, long nowNtp,
      int lifetimeDays, GqKey gq, SecureRandom random) {
    return Host.of(EphemeralHosts.generate(name, kind, bits, nowNtp, lifetimeDays, gq, random));
  }

  /** {@link EphemeralHosts#trusted}. */
  public static Host trusted(String name, long nowNtp, SecureRandom random) {
    return Host.of(EphemeralHosts.trusted(name, nowNtp, random));
  }

  /** {@link EphemeralHosts#ordinary}. */
  public static Host ordinary(String name, long nowNtp, SecureRandom random) {
    return Host.of(EphemeralHosts.ordinary(name, nowNtp, random));
  }
}
