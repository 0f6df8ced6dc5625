package dev.autokey.core.cert;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The certificate cache with ntpd's {@code cert_install} semantics (docs/protocol.md §10.3), made
 * safe against floods (T19–T22):
 *
 * <ul>
 *   <li>an entry is keyed by (subject, issuer); a certificate whose filestamp is ≤ the cached
 *       one's is a duplicate and dropped <em>before</em> any signature check; a newer one
 *       replaces the entry;
 *   <li>a self-signed certificate's signature is checked once on insert (ntpd's {@code
 *       cert_parse}); others are not checked here (the trail walk checks them): at most one
 *       signature check per insert;
 *   <li>a non-self-signed certificate issued by the local host name is a trail loop and
 *       rejected;
 *   <li>the cache holds at most {@link #capacity()} entries: when full, an expired entry is
 *       evicted first, otherwise the least recently used one; the own certificate is pinned:
 *       never evicted and never replaced (an install with its subject and issuer is refused).
 * </ul>
 *
 * <p>The engine installs a received certificate only once the trail it belongs to has been
 * verified up to a trusted root (or, for a SIGN response, once the server's signature and the
 * own name and key have been checked): the cache is what this host serves to its clients.
 *
 * <p>Thread-safe; certificates are decoded and verified outside the lock.
 */
public final class CertificateCache {
  /** Default capacity. */
  public static final int DEFAULT_CAPACITY = 64;
  /** Largest capacity accepted. */
  public static final int MAX_CAPACITY = 65_536;
  /** Longest subject or issuer string accepted (ntpd's CERT request name limit is 512). */
  public static final int MAX_NAME_LENGTH = 512;

  /** What {@link #install} did. */
  public enum Outcome {
    /** New entry. */
    ADDED,
    /** Replaced an entry with the same subject and issuer and an older filestamp. */
    REPLACED,
    /** Dropped: an entry with the same subject and issuer and a filestamp ≥ this one exists. */
    DUPLICATE
  }

  /**
   * Result of an install.
   *
   * @param certificate the cached entry now in use (the old one for a duplicate)
   * @param outcome what happened
   */
  public record Installed(CertificateInfo certificate, Outcome outcome) {}

  private static final class Entry {
    CertificateInfo cert;
    final boolean pinned;
    boolean bad;
    long seq;

    Entry(CertificateInfo cert, boolean pinned, long seq) {
      this.cert = cert;
      this.pinned = pinned;
      this.seq = seq;
    }
  }

  private final CertificateCodec codec;
  private final String localHost;
  private final int capacity;
  private final LinkedHashMap<String, Entry> map;
  private final AtomicLong signatureChecks = new AtomicLong();
  private long seq;

  /**
   * A cache.
   *
   * @param codec decodes and verifies certificates
   * @param localHost the local Autokey host name (subject of the own certificate), for the loop
   *     rule
   * @param capacity 1..{@link #MAX_CAPACITY}
   */
  public CertificateCache(CertificateCodec codec, String localHost, int capacity) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.localHost = Objects.requireNonNull(localHost, "localHost");
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity " + capacity + " not in 1.." + MAX_CAPACITY);
    }
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(16, 0.75f, true);
  }

  private static String key(CertificateInfo c) {
    return c.subject() + '\u0000' + c.issuer();
  }

  /**
   * Installs a certificate received in a CERT or SIGN response ({@code cert_install}). The
   * certificate is decoded and its self-signature checked without holding the cache's lock.
   * Nothing installed here ever replaces the host's own certificate: an install whose subject
   * and issuer are those of the own certificate is refused.
   *
   * @param der the certificate
   * @param filestamp the EF filestamp
   * @param now current NTP seconds (unwrapped; for the expired-first eviction), 0 if unknown
   * @throws AutokeyException {@code XEVNT_CRT}: undecodable, rule violation, name too long,
   *     trail loop, bad self-signature, an attempt to replace the own certificate
   */
  public Installed install(byte[] der, long filestamp, long now) throws AutokeyException {
    CertificateInfo c = codec.decode(der, filestamp);
    if (c.subject().length() > MAX_NAME_LENGTH || c.issuer().length() > MAX_NAME_LENGTH) {
      throw new AutokeyException(
          XEvent.CRT,
          "certificate name length " + Math.max(c.subject().length(), c.issuer().length())
              + " exceeds " + MAX_NAME_LENGTH);
    }
    if (!c.selfSigned() && c.issuer().equals(localHost)) {
      throw new AutokeyException(
          XEvent.CRT, "trail loop: certificate for " + c.subject() + " issued by the local host");
    }
    String k = key(c);
    synchronized (this) {
      Optional<Installed> early = refusedOrDuplicate(k, c);
      if (early.isPresent()) {
        return early.get();
      }
    }
    if (c.selfSigned()) {
      signatureChecks.incrementAndGet();
      try {
        codec.verify(c, c.publicKey());
      } catch (AutokeyException ex) {
        throw new AutokeyException(
            XEvent.CRT, "self-signed certificate " + c.subject() + " does not verify", ex);
      }
    }
    synchronized (this) {
      // Re-checked: another thread may have installed the same entry meanwhile.
      Optional<Installed> early = refusedOrDuplicate(k, c);
      if (early.isPresent()) {
        return early.get();
      }
      Entry e = map.get(k);
      if (e != null) {
        e.cert = c;
        e.bad = false;
        e.seq = ++seq;
        return new Installed(c, Outcome.REPLACED);
      }
      map.put(k, new Entry(c, false, ++seq));
      evict(now);
      return new Installed(c, Outcome.ADDED);
    }
  }

  /** Under the lock: refuses to touch a pinned entry, reports a duplicate; else empty. */
  private Optional<Installed> refusedOrDuplicate(String k, CertificateInfo c)
      throws AutokeyException {
    Entry e = map.get(k);
    if (e == null) {
      return Optional.empty();
    }
    if (e.pinned) {
      if (e.cert.sameDer(c)) {
        return Optional.of(new Installed(e.cert, Outcome.DUPLICATE));
      }
      throw new AutokeyException(XEvent.CRT, "certificate " + c.subject() + " (issuer "
          + c.issuer() + ") would replace the host's own certificate");
    }
    if (c.filestamp() <= e.cert.filestamp()) {
      return Optional.of(new Installed(e.cert, Outcome.DUPLICATE));
    }
    return Optional.empty();
  }

  /** Adds the host's own certificate (already checked by the loader); pinned, never evicted. */
  public synchronized void installOwn(CertificateInfo own) {
    map.put(key(own), new Entry(own, true, ++seq));
    evict(0);
  }

  private void evict(long now) {
    while (map.size() > capacity) {
      String victim = null;
      if (now > 0) {
        for (Map.Entry<String, Entry> me : map.entrySet()) {
          if (!me.getValue().pinned && me.getValue().cert.notAfter() < now) {
            victim = me.getKey();
            break;
          }
        }
      }
      if (victim == null) {
        Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<String, Entry> me = it.next();
          if (!me.getValue().pinned) {
            victim = me.getKey();
            break;
          }
        }
      }
      if (victim == null) {
        return;
      }
      map.remove(victim);
    }
  }

  /** Marks an entry bad (cert_hike found it not signed by its issuer); bad entries are not served. */
  public synchronized void markBad(CertificateInfo c) {
    Entry e = map.get(key(c));
    if (e != null && e.cert.sameDer(c)) {
      e.bad = true;
    }
  }

  /** The entry for a subject and issuer. */
  public synchronized Optional<CertificateInfo> find(String subject, String issuer) {
    Entry e = map.get(subject + '\u0000' + issuer);
    return e == null ? Optional.empty() : Optional.of(e.cert);
  }

  /**
   * The certificate served for a CERT request naming {@code subject} (docs/protocol.md §3.2): private
   * and bad entries skipped; a trusted self-signed one preferred; else the oldest non-self-signed
   * one; untrusted self-signed never.
   */
  public synchronized Optional<CertificateInfo> select(String subject) {
    CertificateInfo best = null;
    long bestSeq = Long.MAX_VALUE;
    for (Entry e : map.values()) {
      CertificateInfo c = e.cert;
      if (e.bad || c.isPrivate() || !c.subject().equals(subject)) {
        continue;
      }
      if (c.selfSigned()) {
        if (c.trusted()) {
          return Optional.of(c);
        }
        continue;
      }
      if (e.seq < bestSeq) {
        best = c;
        bestSeq = e.seq;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The entries, newest insert first. */
  public synchronized List<CertificateInfo> entries() {
    List<Entry> es = new ArrayList<>(map.values());
    es.sort((a, b) -> Long.compare(b.seq, a.seq));
    List<CertificateInfo> out = new ArrayList<>(es.size());
    for (Entry e : es) {
      out.add(e.cert);
    }
    return out;
  }

  /** Number of entries. */
  public synchronized int size() {
    return map.size();
  }

  /** The bound. */
  public int capacity() {
    return capacity;
  }

  /** Signature checks done by {@link #install} so far. */
  public long signatureChecks() {
    return signatureChecks.get();
  }
}
