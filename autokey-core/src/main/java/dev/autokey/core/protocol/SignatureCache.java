package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.crypto.Signer;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The host's signatures of values it sends again and again (its COOK request key, its own
 * certificate in SIGN requests), kept until the next signature update (ntpd signs these once per
 * {@code crypto_update}). Keyed by the values' bytes themselves, never by a hash code, so two
 * values can never share a signature; bounded; signing happens outside the lock. Thread-safe.
 */
final class SignatureCache {
  /** A cached signature's key: the tag, both stamps and the signed bytes (by content). */
  private record Key(String tag, long ts, long fs, ByteBuffer value) {
    static Key of(String tag, long ts, long fs, byte[] value) {
      return new Key(tag, ts, fs, ByteBuffer.wrap(value.clone()).asReadOnlyBuffer());
    }
  }

  private final Map<Key, byte[]> signatures = new HashMap<>();
  private final int capacity;

  SignatureCache(int capacity) {
    this.capacity = capacity;
  }

  /** The signature over (ts, fs, value), made with {@code signer} if not cached. */
  byte[] get(Signer signer, String tag, long ts, long fs, byte[] value) throws AutokeyException {
    Key key = Key.of(tag, ts, fs, value);
    synchronized (this) {
      byte[] s = signatures.get(key);
      if (s != null) {
        return s;
      }
    }
    byte[] s = signer.sign(SignedBytes.of(ts, fs, value));
    synchronized (this) {
      if (signatures.size() > capacity) {
        signatures.clear();
      }
      signatures.put(key, s);
    }
    return s;
  }

  /** A signature update: everything cached is dropped. */
  synchronized void clear() {
    signatures.clear();
  }

  synchronized int size() {
    return signatures.size();
  }
}
