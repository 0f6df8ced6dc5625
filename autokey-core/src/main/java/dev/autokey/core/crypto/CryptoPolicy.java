package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * Which weak material is accepted. {@link Level#LEGACY} accepts what ntpd 4.2.8p15 makes by
 * default (RSA-512 host keys, RSA-MD5 certificates) and reports each such item to the listener;
 * {@link Level#STRICT} refuses keys shorter than {@link #STRICT_MIN_KEY_BITS} bits and MD5
 * signatures.
 *
 * @param level the level
 * @param listener receives a warning for every weak-but-accepted item
 */
public record CryptoPolicy(Level level, CryptoWarningListener listener) {
  /** Smallest RSA modulus / DSA p accepted by the strict policy. */
  public static final int STRICT_MIN_KEY_BITS = 2048;

  /** Policy levels. */
  public enum Level {
    /** ntpd 4.2.8p15 compatible: weak material accepted, with a warning. */
    LEGACY,
    /** Keys ≥ 2048 bits and no MD5 signatures. */
    STRICT
  }

  /** Requires non-null fields. */
  public CryptoPolicy {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(listener, "listener");
  }

  /** Legacy, reporting to the listener. */
  public static CryptoPolicy legacy(CryptoWarningListener listener) {
    return new CryptoPolicy(Level.LEGACY, listener);
  }

  /** Strict, reporting SHA-1 use to the listener. */
  public static CryptoPolicy strict(CryptoWarningListener listener) {
    return new CryptoPolicy(Level.STRICT, listener);
  }

  /** Whether this is the strict level. */
  public boolean isStrict() {
    return level == Level.STRICT;
  }

  /**
   * Checks a key size.
   *
   * @param bits RSA modulus or DSA p bits
   * @param subject what the key belongs to (for the message / warning)
   * @param event the code to raise when refused
   * @throws AutokeyException when strict and bits &lt; {@link #STRICT_MIN_KEY_BITS}
   */
  public void checkKeySize(int bits, String subject, XEvent event) throws AutokeyException {
    if (bits >= STRICT_MIN_KEY_BITS) {
      return;
    }
    String detail = bits + "-bit key is shorter than " + STRICT_MIN_KEY_BITS + " bits";
    if (isStrict()) {
      throw new AutokeyException(event, "strict policy refuses " + subject + ": " + detail);
    }
    listener.warn(new CryptoWarning(CryptoWarning.Kind.SHORT_KEY, subject, detail));
  }

  /**
   * Checks a signature algorithm.
   *
   * @throws AutokeyException when strict and the digest is MD5
   */
  public void checkSignature(SignatureAlgorithm alg, String subject, XEvent event)
      throws AutokeyException {
    if (alg.isMd5()) {
      if (isStrict()) {
        throw new AutokeyException(
            event, "strict policy refuses MD5 signatures (" + alg.opensslName() + ") for " + subject);
      }
      listener.warn(
          new CryptoWarning(
              CryptoWarning.Kind.MD5_SIGNATURE, subject, alg.opensslName() + " signature"));
    } else if (alg.digest().equals("SHA1")) {
      listener.warn(
          new CryptoWarning(
              CryptoWarning.Kind.SHA1_SIGNATURE, subject, alg.opensslName() + " signature"));
    }
  }
}
