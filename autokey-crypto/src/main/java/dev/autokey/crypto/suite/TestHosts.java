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
 * Complete host credentials generated in memory, as {@code ntp-keygen} would write them (RSA host
 * key, self-signed certificate with ntp-keygen's extensions), for tests, demos and simulations.
 * Key sizes are small by default (512 bits, ntp-keygen's default) so that simulations stay fast;
 * never use these for production.
 */
public final class TestHosts {
  /** Default RSA modulus size (ntp-keygen's {@code -m} default). */
  public static final int DEFAULT_BITS = 512;

  private TestHosts() {}

  /**
   * One host's generated credentials.
   *
   * @param name the Autokey host name ({@code host} or {@code host@group})
   * @param hostKey the RSA host key (also the sign key)
   * @param certificate the self-signed certificate, DER
   * @param filestamp the filestamp of both files
   */
  public record Host(String name, RSAPrivateCrtKey hostKey, byte[] certificate, long filestamp) {
    /** Copies the certificate. */
    public Host {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(hostKey, "hostKey");
      certificate = certificate.clone();
    }

    @Override
    public byte[] certificate() {
      return certificate.clone();
    }

    /** A suite builder pre-filled with this host's key and certificate. */
    public BcCryptoSuite.Builder suite(SecureRandom random) {
      return BcCryptoSuite.builder().hostKey(hostKey, filestamp)
          .certificate(certificate, filestamp).random(random);
    }

    /** The suite with only the host key and certificate (TC). */
    public BcCryptoSuite tcSuite(SecureRandom random) throws AutokeyException {
      return suite(random).build();
    }

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
   * @param lifetimeDays certificate lifetime ({@code -l}, default 365)
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

  /** A trusted host ({@code ntp-keygen -T}), 512 bits, 365 days. */
  public static Host trusted(String name, long nowNtp, SecureRandom random) {
    return generate(name, NtpCertificates.Kind.TRUST_ROOT, DEFAULT_BITS, nowNtp, 365, null,
        random);
  }

  /** An ordinary host ({@code ntp-keygen}), 512 bits, 365 days. */
  public static Host ordinary(String name, long nowNtp, SecureRandom random) {
    return generate(name, NtpCertificates.Kind.ORDINARY, DEFAULT_BITS, nowNtp, 365, null,
        random);
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
