package dev.autokey.core.cert;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One association's walk up the certificate trail ({@code cert_hike}, docs/protocol.md §10.3): the
 * client asks for {@link #nextSubject()}, installs the answer in the {@link CertificateCache} and
 * passes the cached certificate to {@link #accept}. The walk ends at a trusted self-signed
 * certificate ({@link Step#TRUSTED}) and stalls at an untrusted self-signed one.
 *
 * <p>Rules, each violation an {@link AutokeyException}: the certificate must be for the subject
 * asked for ({@code XEVNT_CRT}); the previous certificate must verify with its key ({@code
 * XEVNT_VFY}) and its notBefore lie in its validity ({@code XEVNT_PER}); a subject seen before is
 * a loop and more than {@link #maxLength()} certificates is too long ({@code XEVNT_CRT}). Exactly
 * one signature check per accepted non-first certificate. Not thread-safe (one per association).
 */
public final class CertificateTrail {
  /** Default longest trail. */
  public static final int DEFAULT_MAX_LENGTH = 8;

  /** Result of a step. */
  public enum Step {
    /** Ask for {@link CertificateTrail#nextSubject()} next. */
    NEXT,
    /** A trusted self-signed certificate was reached: CERT is lit. */
    TRUSTED,
    /** An untrusted self-signed certificate: the trail cannot complete (ntpd keeps asking). */
    STALLED
  }

  private final CertificateCodec codec;
  private final int maxLength;
  private final List<CertificateInfo> chain = new ArrayList<>();
  private String next;
  private boolean trusted;

  /**
   * A walk starting with the server's host name.
   *
   * @param codec verifies certificates
   * @param firstSubject the name from the ASSOC response
   * @param maxLength 1..64
   */
  public CertificateTrail(CertificateCodec codec, String firstSubject, int maxLength) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.next = Objects.requireNonNull(firstSubject, "firstSubject");
    if (maxLength < 1 || maxLength > 64) {
      throw new IllegalArgumentException("maxLength " + maxLength + " not in 1..64");
    }
    this.maxLength = maxLength;
  }

  /**
   * Takes the next certificate (already installed in the cache).
   *
   * @throws AutokeyException see the class description
   */
  public Step accept(CertificateInfo y) throws AutokeyException {
    Objects.requireNonNull(y, "certificate");
    if (trusted) {
      return Step.TRUSTED;
    }
    if (!y.subject().equals(next)) {
      throw new AutokeyException(
          XEvent.CRT, "certificate for '" + y.subject() + "' but '" + next + "' was asked for");
    }
    for (CertificateInfo c : chain) {
      if (c.subject().equals(y.subject())) {
        throw new AutokeyException(XEvent.CRT, "trail loop at " + y.subject());
      }
    }
    if (chain.size() >= maxLength) {
      throw new AutokeyException(
          XEvent.CRT, "certificate trail longer than " + maxLength);
    }
    if (!chain.isEmpty()) {
      CertificateInfo x = chain.get(chain.size() - 1);
      codec.verify(x, y.publicKey());
      if (x.notBefore() < y.notBefore() || x.notBefore() > y.notAfter()) {
        throw new AutokeyException(
            XEvent.PER,
            "certificate " + x.subject() + " issued outside the validity of " + y.subject());
      }
    }
    chain.add(y);
    next = y.issuer();
    if (y.selfSigned()) {
      if (y.trusted()) {
        trusted = true;
        return Step.TRUSTED;
      }
      return Step.STALLED;
    }
    return Step.NEXT;
  }

  /** The subject to ask for next (the issuer of the last certificate). */
  public String nextSubject() {
    return next;
  }

  /** Whether a trusted root was reached. */
  public boolean isTrusted() {
    return trusted;
  }

  /** The first certificate accepted (its key verifies the peer's signatures). */
  public Optional<CertificateInfo> first() {
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
  }

  /** The GQ group key of the trusted root, once reached. */
  public Optional<byte[]> groupKey() {
    return trusted ? chain.get(chain.size() - 1).gqKey() : Optional.empty();
  }

  /** The certificates accepted so far, first to last. */
  public List<CertificateInfo> chain() {
    return List.copyOf(chain);
  }

  /** The bound. */
  public int maxLength() {
    return maxLength;
  }
}
