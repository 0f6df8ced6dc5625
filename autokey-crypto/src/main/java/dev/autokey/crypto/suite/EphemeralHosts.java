package dev.autokey.crypto.suite;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Objects;

/**
 * Host credentials generated in memory and never written anywhere: an RSA host key and a
 * self-signed certificate with ntp-keygen's extensions, exactly what {@code ntp-keygen} would put
 * in {@code ntpkey_host_<name>} and {@code ntpkey_cert_<name>}. For demos, TC quick starts
 * between Java hosts, and simulations ({@code dev.autokey.core.sim}); the credentials live as
 * long as the process.
 *
 * <pre>{@code
 * long fs = NtpTime.seconds(now) - 60;
 * CryptoSuite server = EphemeralHosts.trusted("server", fs, random).tcSuite(random);
 * CryptoSuite client = EphemeralHosts.ordinary("client", fs, random).tcSuite(random);
 * }</pre>
 *
 * <p>{@link #trusted} and {@link #ordinary} make {@value #DEFAULT_BITS}-bit keys (ntp-keygen's
 * default), which keeps simulations fast and is too weak for production. A host that ntpd or
 * another host must recognise across restarts needs files: {@code ntp-keygen}, or {@link
 * dev.autokey.crypto.identity.KeyFolderWriter}, read back with {@link
 * BcCryptoSuite#fromKeysDirectory}.
 */
public final class EphemeralHosts {
  /** RSA modulus size of {@link #trusted} and {@link #ordinary} (ntp-keygen's default). */
  public static final int DEFAULT_BITS = 512;
  /** Certificate lifetime of {@link #trusted} and {@link #ordinary}, days (ntp-keygen's). */
  public static final int DEFAULT_LIFETIME_DAYS = NtpCertificates.DEFAULT_LIFETIME_DAYS;

  private EphemeralHosts() {}

  /**
   * One host's generated credentials.
   *
   * @param name the Autokey host name ({@code host} or {@code host@group}), the certificate's
   *     subject and issuer
   * @param hostKey the RSA host key (also the sign key)
   * @param certificate the self-signed certificate, DER
   * @param filestamp the filestamp of both (NTP seconds)
   */
  public record Host(String name, RSAPrivateCrtKey hostKey, byte[] certificate, long filestamp) {
    /** Copies the certificate. */
    public Host {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(hostKey, "hostKey");
      certificate = certificate.clone();
    }

    /** A copy of the certificate (DER). */
    @Override
    public byte[] certificate() {
      return certificate.clone();
    }

    /**
     * A suite builder holding this host's key and certificate, to which identity keys or
     * parameters can be added.
     */
    public BcCryptoSuite.Builder suite(SecureRandom random) {
      return BcCryptoSuite.builder().hostKey(hostKey, filestamp)
          .certificate(certificate, filestamp).random(random);
    }

    /** The suite with only the host key and certificate (the TC scheme). */
    public BcCryptoSuite tcSuite(SecureRandom random) throws AutokeyException {
      return suite(random).build();
    }

    /** Name and filestamp; no key material. */
    @Override
    public String toString() {
      return "Host[" + name + ", fs " + filestamp + "]";
    }
  }

  /**
   * Generates a host.
   *
   * @param name host name ({@code host} or {@code host@group})
   * @param kind ordinary ({@code ntp-keygen}), trusted ({@code -T}) or private ({@code -P})
   * @param bits RSA modulus size
   * @param nowNtp NTP seconds: filestamp, serial and notBefore
   * @param lifetimeDays certificate lifetime ({@code -l})
   * @param gq GQ key whose public value goes into the subjectKeyIdentifier (ntp-keygen {@code -G}
   *     on a trusted host), or null
   * @param random randomness
   */
  public static Host generate(String name, NtpCertificates.Kind kind, int bits, long nowNtp,
      int lifetimeDays, GqKey gq, SecureRandom random) {
    KeyPair kp;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits, random);
      kp = g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) kp.getPrivate();
    byte[] gqv = gq == null ? null : unsigned(gq.v());
    NtpCertificates.Spec spec = new NtpCertificates.Spec(name, BigInteger.valueOf(nowNtp),
        nowNtp, lifetimeDays, kind, gqv, kp.getPublic());
    byte[] der = NtpCertificates.selfSigned(spec, key, SignatureAlgorithm.RSA_MD5, random);
    return new Host(name, key, der, nowNtp);
  }

  /**
   * A trusted host ({@code ntp-keygen -T}): {@value #DEFAULT_BITS} bits, certificate valid
   * {@value #DEFAULT_LIFETIME_DAYS} days.
   */
  public static Host trusted(String name, long nowNtp, SecureRandom random) {
    return generate(name, NtpCertificates.Kind.TRUST_ROOT, DEFAULT_BITS, nowNtp,
        DEFAULT_LIFETIME_DAYS, null, random);
  }

  /**
   * An ordinary host ({@code ntp-keygen}): {@value #DEFAULT_BITS} bits, certificate valid
   * {@value #DEFAULT_LIFETIME_DAYS} days.
   */
  public static Host ordinary(String name, long nowNtp, SecureRandom random) {
    return generate(name, NtpCertificates.Kind.ORDINARY, DEFAULT_BITS, nowNtp,
        DEFAULT_LIFETIME_DAYS, null, random);
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      byte[] c = new byte[b.length - 1];
      System.arraycopy(b, 1, c, 0, c.length);
      return c;
    }
    return b;
  }
}
