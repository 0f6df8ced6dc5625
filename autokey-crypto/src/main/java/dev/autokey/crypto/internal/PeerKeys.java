package dev.autokey.crypto.internal;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.WorkBudget;
import java.math.BigInteger;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * Public keys chosen by peers (COOK request keys, certificate keys): their sizes read from the
 * DER encoding before any big-integer arithmetic, range checks, the work estimate of using them,
 * and the import into Bouncy Castle's lightweight API without its probable-prime test.
 *
 * <p>Bouncy Castle's {@code RSAKeyParameters(false, n, e)} runs a Miller–Rabin compositeness
 * test on every new modulus (hundreds of milliseconds for 8192 bits); a peer sending a fresh
 * modulus with each request would make us pay it each time. For a public key we only encrypt to
 * or verify with, the test protects nothing: a peer can always choose a key it can decrypt with.
 * {@link #rsaPublic} therefore checks only what is cheap and matters for correctness — odd
 * modulus within the size bounds, no prime factor up to 743, odd exponent 3 ≤ e &lt; n of at
 * most 64 bits — and builds the parameters with Bouncy Castle's {@code isInternal} flag, which
 * skips the validation. The JDK's own RSA and DSA key factories do no primality test either.
 */
public final class PeerKeys {
  /**
   * Smallest RSA modulus / DSA p accepted in certificates (the JDK refuses shorter RSA keys,
   * OpenSSL 1.1.1 generates none).
   */
  public static final int MIN_BITS = 512;
  /** Default largest RSA modulus / DSA p accepted from peers. */
  public static final int DEFAULT_MAX_BITS = 4096;
  /** Largest bound that can be configured. */
  public static final int LIMIT_BITS = 16_384;
  /** Largest RSA public exponent, bits (OpenSSL's limit for large moduli). */
  public static final int MAX_EXPONENT_BITS = 64;

  private static final byte[] OID_RSA_DER = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
      0x0d, 0x01, 0x01, 0x01};
  private static final byte[] OID_DSA_DER = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x38, 0x04,
      0x01};

  private static final ThreadLocal<long[]> IMPORTS = ThreadLocal.withInitial(() -> new long[1]);

  private PeerKeys() {}

  /** Key type. */
  public enum Kind {
    /** RSA. */
    RSA,
    /** DSA. */
    DSA
  }

  /**
   * The sizes of a public key, read from its encoding.
   *
   * @param kind RSA or DSA
   * @param bits RSA modulus / DSA p bits
   * @param exponentBits RSA public exponent bits (DSA: q bits)
   * @param exponentWeight RSA public exponent set bits (DSA: 0)
   */
  public record Size(Kind kind, int bits, int exponentBits, int exponentWeight) {
    /** Work units of one operation with the public key (RSA public op, DSA verification). */
    public double publicWork() {
      return kind == Kind.RSA ? WorkBudget.rsaPublic(bits, exponentBits, exponentWeight)
          : WorkBudget.dsaVerify(bits, exponentBits);
    }
  }

  /** How many peer RSA keys this thread imported with {@link #rsaPublic} (a test seam). */
  public static long imports() {
    return IMPORTS.get()[0];
  }

  /**
   * Checks a bound given in configuration.
   *
   * @throws IllegalArgumentException outside {@value #MIN_BITS}..{@value #LIMIT_BITS}
   */
  public static int checkBound(int maxBits) {
    if (maxBits < MIN_BITS || maxBits > LIMIT_BITS) {
      throw new IllegalArgumentException("largest peer key " + maxBits + " bits not in "
          + MIN_BITS + ".." + LIMIT_BITS);
    }
    return maxBits;
  }

  /**
   * Reads a PKCS#1 {@code RSAPublicKey} (SEQUENCE of two INTEGERs) spanning exactly {@code
   * [off, end)} without building big integers, and checks: non-negative integers, modulus odd
   * with {@code minBits..maxBits} bits, exponent odd, 3..2^64−1.
   *
   * @param strict whether lengths and integers must be minimal (DER) rather than just bounded
   * @param event the code of the refusal
   * @param what what the key is (for messages)
   * @throws AutokeyException with {@code event} otherwise
   */
  public static Size rsaPkcs1(byte[] b, int off, int end, int minBits, int maxBits,
      boolean strict, XEvent event, String what) throws AutokeyException {
    Reader r = new Reader(b, off, end, strict, event, what);
    int seqEnd = r.enter(0x30);
    if (seqEnd != end) {
      throw new AutokeyException(event, what + ": bytes after the RSAPublicKey");
    }
    int nEnd = r.enter(0x02);
    int nBits = r.unsignedBits(nEnd);
    r.pos = nEnd;
    if (nBits > maxBits || nBits < minBits) {
      throw new AutokeyException(event, what + ": modulus of " + nBits + " bits not in "
          + minBits + ".." + maxBits);
    }
    if ((b[nEnd - 1] & 1) == 0) {
      throw new AutokeyException(event, what + ": even modulus");
    }
    int eEnd = r.enter(0x02);
    int eBits = r.unsignedBits(eEnd);
    r.pos = eEnd;
    if (eBits > MAX_EXPONENT_BITS || eBits < 2 || (b[eEnd - 1] & 1) == 0) {
      throw new AutokeyException(event, what + ": public exponent not odd in 3..2^64-1");
    }
    if (r.pos != end) {
      throw new AutokeyException(event, what + ": bytes after the exponent");
    }
    int weight = 0;
    for (int i = eEnd - (eBits + 7) / 8; i < eEnd; i++) {
      weight += Integer.bitCount(b[i] & 0xff);
    }
    return new Size(Kind.RSA, nBits, eBits, weight);
  }

  /**
   * Reads the subject public key of a DER certificate without building big integers: walks to
   * the SubjectPublicKeyInfo of the TBSCertificate and checks the key's sizes (RSA: modulus
   * {@value #MIN_BITS}..{@code maxBits} bits, exponent odd 3..2^64−1; DSA: p {@value
   * #MIN_BITS}..{@code maxBits} bits with parameters present, q of 160, 224 or 256 bits as
   * OpenSSL requires).
   *
   * @throws AutokeyException {@code XEVNT_CRT} for a key out of range, another key type, or a
   *     certificate whose structure does not lead to a public key
   */
  public static Size certificateKey(byte[] cert, int maxBits) throws AutokeyException {
    Reader r = new Reader(cert, 0, cert.length, false, XEvent.CRT, "certificate");
    r.enter(0x30); // Certificate (trailing bytes after it are ignored, as OpenSSL does)
    int tbsEnd = r.enter(0x30);
    if (r.peek() == 0xa0) {
      r.skip(); // [0] version
    }
    r.skip(); // serialNumber
    r.skip(); // signature
    r.skip(); // issuer
    r.skip(); // validity
    r.skip(); // subject
    int spkiOff = r.pos;
    int spkiEnd = r.enter(0x30);
    if (spkiEnd > tbsEnd) {
      throw new AutokeyException(XEvent.CRT, "certificate: public key outside the TBS");
    }
    return spki(cert, spkiOff, spkiEnd, maxBits);
  }

  /**
   * Like {@link #certificateKey} for an encoded {@code SubjectPublicKeyInfo} spanning exactly
   * {@code [off, end)}.
   */
  public static Size spki(byte[] b, int off, int end, int maxBits) throws AutokeyException {
    Reader r = new Reader(b, off, end, false, XEvent.CRT, "certificate public key");
    if (r.enter(0x30) != end) {
      throw new AutokeyException(XEvent.CRT, "certificate public key: trailing bytes");
    }
    int algEnd = r.enter(0x30);
    int oidEnd = r.enter(0x06);
    boolean rsa = same(b, r.pos, oidEnd, OID_RSA_DER);
    boolean dsa = same(b, r.pos, oidEnd, OID_DSA_DER);
    if (!rsa && !dsa) {
      throw new AutokeyException(XEvent.CRT, "public key algorithm is not RSA or DSA");
    }
    r.pos = oidEnd;
    if (rsa) {
      r.pos = algEnd; // NULL or absent parameters
      int bitsEnd = r.enter(0x03);
      if (r.pos >= bitsEnd || b[r.pos] != 0) {
        throw new AutokeyException(XEvent.CRT, "RSA public key BIT STRING has unused bits");
      }
      return rsaPkcs1(b, r.pos + 1, bitsEnd, MIN_BITS, maxBits, false, XEvent.CRT,
          "certificate RSA key");
    }
    if (r.pos >= algEnd) {
      throw new AutokeyException(XEvent.CRT, "DSA public key without parameters");
    }
    int parEnd = r.enter(0x30);
    int pEnd = r.enter(0x02);
    int pBits = r.unsignedBits(pEnd);
    r.pos = pEnd;
    if (pBits < MIN_BITS || pBits > maxBits) {
      throw new AutokeyException(XEvent.CRT, "DSA p of " + pBits + " bits not in " + MIN_BITS
          + ".." + maxBits);
    }
    int qEnd = r.enter(0x02);
    int qBits = r.unsignedBits(qEnd);
    r.pos = qEnd;
    if (qBits != 160 && qBits != 224 && qBits != 256) {
      throw new AutokeyException(XEvent.CRT, "DSA q of " + qBits + " bits (160, 224 or 256)");
    }
    int gEnd = r.enter(0x02);
    if (r.unsignedBits(gEnd) > pBits || gEnd != parEnd || parEnd != algEnd) {
      throw new AutokeyException(XEvent.CRT, "DSA parameters malformed");
    }
    r.pos = algEnd;
    int bitsEnd = r.enter(0x03);
    if (r.pos >= bitsEnd || b[r.pos] != 0) {
      throw new AutokeyException(XEvent.CRT, "DSA public key BIT STRING has unused bits");
    }
    r.pos++;
    int yEnd = r.enter(0x02);
    if (r.unsignedBits(yEnd) > pBits || yEnd != bitsEnd) {
      throw new AutokeyException(XEvent.CRT, "DSA public value malformed");
    }
    return new Size(Kind.DSA, pBits, qBits, 0);
  }

  /**
   * Bouncy Castle parameters for a peer's RSA public key after the cheap sanity checks, without
   * Bouncy Castle's probable-prime test of the modulus.
   *
   * @throws IllegalArgumentException when a check fails
   */
  public static RSAKeyParameters rsaPublic(BigInteger n, BigInteger e, int minBits, int maxBits) {
    if (n.signum() <= 0 || !n.testBit(0) || n.bitLength() < minBits || n.bitLength() > maxBits) {
      throw new IllegalArgumentException("RSA modulus of " + n.bitLength() + " bits not odd in "
          + minBits + ".." + maxBits);
    }
    if (e.signum() <= 0 || !e.testBit(0) || e.bitLength() < 2 || e.bitLength() > MAX_EXPONENT_BITS
        || e.compareTo(n) >= 0) {
      throw new IllegalArgumentException("RSA public exponent not odd in 3..2^64-1 below n");
    }
    if (BigIntegers.hasAnySmallFactors(n)) {
      throw new IllegalArgumentException("RSA modulus has a small prime factor");
    }
    IMPORTS.get()[0]++;
    return new RSAKeyParameters(false, n, e, true);
  }

  private static boolean same(byte[] b, int off, int end, byte[] want) {
    if (end - off != want.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (b[off + i] != want[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A bounded TLV walker over {@code [pos, end)} (single-byte tags, definite lengths of at most 3
   * bytes); strict: minimal lengths and integers as DER requires.
   */
  private static final class Reader {
    final byte[] b;
    int pos;
    final int end;
    final boolean strict;
    final XEvent event;
    final String what;

    Reader(byte[] b, int off, int end, boolean strict, XEvent event, String what)
        throws AutokeyException {
      if (off < 0 || end > b.length || off > end) {
        throw new AutokeyException(event, what + ": bad bounds");
      }
      this.b = b;
      this.pos = off;
      this.end = end;
      this.strict = strict;
      this.event = event;
      this.what = what;
    }

    int peek() throws AutokeyException {
      if (pos >= end) {
        throw fail("truncated");
      }
      return b[pos] & 0xff;
    }

    /** Reads a header of {@code tag}, leaves pos at the content and returns the content end. */
    int enter(int tag) throws AutokeyException {
      int t = peek();
      if (t != tag) {
        throw fail("tag 0x" + Integer.toHexString(t) + " where 0x" + Integer.toHexString(tag)
            + " was expected");
      }
      return header();
    }

    /** Skips one TLV of any single-byte tag. */
    void skip() throws AutokeyException {
      int t = peek();
      if ((t & 0x1f) == 0x1f) {
        throw fail("multi-byte tag");
      }
      pos = header();
    }

    private int header() throws AutokeyException {
      if (pos + 2 > end) {
        throw fail("truncated");
      }
      int l0 = b[pos + 1] & 0xff;
      int p = pos + 2;
      long len;
      if (l0 < 0x80) {
        len = l0;
      } else {
        int n = l0 & 0x7f;
        if (n == 0 || n > 3 || p + n > end) {
          throw fail("bad length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[p + i] & 0xff);
        }
        p += n;
        if (strict && (len < 0x80 || b[p - n] == 0)) {
          throw fail("non-minimal length");
        }
      }
      if (len > end - p) {
        throw fail("length beyond the end");
      }
      pos = p;
      return p + (int) len;
    }

    /** Bits of a non-negative INTEGER whose content is {@code [pos, contentEnd)}. */
    int unsignedBits(int contentEnd) throws AutokeyException {
      int c = pos;
      if (c >= contentEnd) {
        throw fail("empty INTEGER");
      }
      if ((b[c] & 0x80) != 0) {
        throw fail("negative INTEGER");
      }
      if (strict && b[c] == 0 && c + 1 < contentEnd && (b[c + 1] & 0x80) == 0) {
        throw fail("non-minimal INTEGER");
      }
      while (b[c] == 0 && c + 1 < contentEnd) {
        c++;
      }
      if (b[c] == 0) {
        return 0;
      }
      return (contentEnd - c - 1) * 8 + 32 - Integer.numberOfLeadingZeros(b[c] & 0xff);
    }

    private AutokeyException fail(String why) {
      return new AutokeyException(event, what + ": " + why + " at " + pos);
    }
  }
}
