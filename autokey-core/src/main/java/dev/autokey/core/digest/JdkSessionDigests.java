package dev.autokey.core.digest;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Session digests from the JDK's {@code MessageDigest}: MD2, MD5, SHA-1, the SHA-2 and SHA-3
 * families and MD5-SHA1 (composed of MD5 and SHA-1). MD4, MDC2, RIPEMD160, whirlpool, SM3,
 * BLAKE2b512, BLAKE2s256, SHAKE128 and SHAKE256 are not provided by the JDK; {@link #create}
 * refuses them with an {@link UnsupportedDigestException} ({@code XEVNT_MD}) and the Bouncy
 * Castle factory of {@code autokey-crypto} provides them.
 *
 * <p>The engines reuse one {@code MessageDigest} and allocate nothing per message.
 */
public final class JdkSessionDigests implements SessionDigestFactory {
  private static final JdkSessionDigests INSTANCE = new JdkSessionDigests();

  private JdkSessionDigests() {}

  /** The factory (stateless, shared). */
  public static JdkSessionDigests factory() {
    return INSTANCE;
  }

  @Override
  public boolean supports(DigestAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (!algorithm.jdkSupported()) {
      return false;
    }
    try {
      create(algorithm);
      return true;
    } catch (UnsupportedDigestException e) {
      return false;
    }
  }

  @Override
  public SessionDigest create(DigestAlgorithm algorithm) throws UnsupportedDigestException {
    Objects.requireNonNull(algorithm, "algorithm");
    if (algorithm == DigestAlgorithm.MD5_SHA1) {
      return new Md5Sha1(jdk(DigestAlgorithm.MD5, "MD5"), jdk(DigestAlgorithm.MD5_SHA1, "SHA-1"));
    }
    String name = algorithm.jdkName();
    if (name == null) {
      throw new UnsupportedDigestException(algorithm, "session digest " + algorithm.openSslName()
          + " (NID " + algorithm.nid() + ") is not provided by the JDK; use the Bouncy Castle "
          + "SessionDigestFactory from autokey-crypto");
    }
    return new Jdk(algorithm, jdk(algorithm, name));
  }

  private static MessageDigest jdk(DigestAlgorithm algorithm, String name)
      throws UnsupportedDigestException {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new UnsupportedDigestException(algorithm, "session digest " + algorithm.openSslName()
          + ": this JDK has no MessageDigest '" + name + "'", e);
    }
  }

  private static void checkOut(byte[] out, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, out.length);
  }

  private static final class Jdk implements SessionDigest {
    private final DigestAlgorithm algorithm;
    private final MessageDigest md;
    private final int length;

    Jdk(DigestAlgorithm algorithm, MessageDigest md) {
      this.algorithm = algorithm;
      this.md = md;
      this.length = algorithm.length();
    }

    @Override
    public DigestAlgorithm algorithm() {
      return algorithm;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void update(byte[] input, int offset, int len) {
      md.update(input, offset, len);
    }

    @Override
    public void digest(byte[] out, int offset) {
      checkOut(out, offset, length);
      try {
        md.digest(out, offset, length);
      } catch (DigestException e) {
        throw new IllegalStateException("MessageDigest refused a " + length + "-byte output", e);
      }
    }

    @Override
    public void reset() {
      md.reset();
    }

    @Override
    public String toString() {
      return "JdkSessionDigest[" + algorithm + "]";
    }
  }

  private static final class Md5Sha1 implements SessionDigest {
    private final MessageDigest md5;
    private final MessageDigest sha1;

    Md5Sha1(MessageDigest md5, MessageDigest sha1) {
      this.md5 = md5;
      this.sha1 = sha1;
    }

    @Override
    public DigestAlgorithm algorithm() {
      return DigestAlgorithm.MD5_SHA1;
    }

    @Override
    public void update(byte[] input, int offset, int len) {
      md5.update(input, offset, len);
      sha1.update(input, offset, len);
    }

    @Override
    public void digest(byte[] out, int offset) {
      checkOut(out, offset, 36);
      try {
        md5.digest(out, offset, 16);
        sha1.digest(out, offset + 16, 20);
      } catch (DigestException e) {
        throw new IllegalStateException("MessageDigest refused its output length", e);
      }
    }

    @Override
    public void reset() {
      md5.reset();
      sha1.reset();
    }

    @Override
    public String toString() {
      return "JdkSessionDigest[MD5-SHA1]";
    }
  }
}
