package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.crypto.SymmetricMac;
import dev.autokey.core.crypto.SymmetricMacFactory;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Symmetric-key authentication (ntpd's "AUTH" cryptotype, RFC 5905 §7.3 MAC): key IDs
 * {@value SymmetricKey#MIN_KEY_ID}..{@value SymmetricKey#MAX_KEY_ID}, keys from an {@code
 * ntp.keys} file, MAC = key ID followed by the {@link SymmetricMac} of the 48-byte header. Only
 * keys listed as trusted ({@code trustedkey}) authenticate; a key's address restrictions (the
 * optional fourth column of the keys file) apply to the sender. Packets with extension fields are
 * not handled here (ntpd ignores extension fields of packets whose key ID is at most 65535).
 *
 * <p>Immutable and thread-safe.
 */
public final class SymmetricKeyAuth {
  private final Map<Integer, SymmetricMac> macs;
  private final Map<Integer, SymmetricKey> keys;

  private SymmetricKeyAuth(Map<Integer, SymmetricMac> macs, Map<Integer, SymmetricKey> keys) {
    this.macs = macs;
    this.keys = keys;
  }

  /**
   * Builds the authenticator from the keys of a keys file.
   *
   * @param allKeys the keys file's keys
   * @param trusted the key IDs of {@code trustedkey}; other keys neither sign nor verify
   * @param factory the MAC implementation per key type
   * @throws AutokeyException {@code XEVNT_MD} if a trusted key's type has no implementation
   * @throws IllegalArgumentException if a trusted key ID is not in {@code allKeys}
   */
  public static SymmetricKeyAuth create(Collection<SymmetricKey> allKeys, Set<Integer> trusted,
      SymmetricMacFactory factory) throws AutokeyException {
    Objects.requireNonNull(allKeys, "allKeys");
    Objects.requireNonNull(trusted, "trusted");
    Objects.requireNonNull(factory, "factory");
    Map<Integer, SymmetricKey> byId = new HashMap<>();
    for (SymmetricKey k : allKeys) {
      byId.put(k.keyId(), k);
    }
    Map<Integer, SymmetricMac> macs = new HashMap<>();
    Map<Integer, SymmetricKey> keys = new HashMap<>();
    for (int id : trusted) {
      SymmetricKey k = byId.get(id);
      if (k == null) {
        throw new IllegalArgumentException("trusted key " + id + " is not in the keys file");
      }
      macs.put(id, factory.forKey(k));
      keys.put(id, k);
    }
    return new SymmetricKeyAuth(Map.copyOf(macs), Map.copyOf(keys));
  }

  /** Whether {@code keyId} is a trusted key. */
  public boolean isTrusted(int keyId) {
    return macs.containsKey(keyId);
  }

  /** The result of checking a received packet's MAC. */
  public record Check(boolean authentic, int keyId, XEvent event, String detail) {
    /** Validates. */
    public Check {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Appends the MAC of {@code header} with key {@code keyId}.
   *
   * @return header, key ID, MAC
   * @throws IllegalArgumentException if the key is not trusted
   */
  public byte[] seal(NtpHeader header, int keyId) {
    Objects.requireNonNull(header, "header");
    SymmetricMac mac = macs.get(keyId);
    if (mac == null) {
      throw new IllegalArgumentException("key " + keyId + " is not a trusted key");
    }
    byte[] out = new byte[NtpHeader.LENGTH + 4 + mac.macLength()];
    header.writeTo(java.nio.ByteBuffer.wrap(out));
    putInt(out, NtpHeader.LENGTH, keyId);
    byte[] d = mac.compute(out, 0, NtpHeader.LENGTH);
    System.arraycopy(d, 0, out, NtpHeader.LENGTH + 4, d.length);
    return out;
  }

  /**
   * Checks the MAC of a received 48-byte NTP packet with a symmetric-key MAC.
   *
   * @param source the sender (a key's address restrictions apply)
   */
  public Check check(byte[] buf, int off, int len, InetAddress source) {
    Objects.checkFromIndexSize(off, len, buf.length);
    Objects.requireNonNull(source, "source");
    int macLen = len - NtpHeader.LENGTH - 4;
    if (macLen <= 0) {
      return new Check(false, 0, XEvent.OK, "no MAC");
    }
    int keyId = readInt(buf, off + NtpHeader.LENGTH);
    if (keyId < SymmetricKey.MIN_KEY_ID || keyId > SymmetricKey.MAX_KEY_ID) {
      return new Check(false, keyId, XEvent.OK, "key ID " + Integer.toUnsignedString(keyId)
          + " is not a symmetric key ID");
    }
    SymmetricMac mac = macs.get(keyId);
    if (mac == null) {
      return new Check(false, keyId, XEvent.OK, "key " + keyId + " unknown or not trusted");
    }
    if (!keys.get(keyId).allows(source)) {
      return new Check(false, keyId, XEvent.OK, "key " + keyId + " not allowed for "
          + source.getHostAddress());
    }
    if (macLen != mac.macLength()) {
      return new Check(false, keyId, XEvent.LEN, "MAC length " + macLen + ", key " + keyId
          + " has " + mac.macLength());
    }
    byte[] got = Arrays.copyOfRange(buf, off + NtpHeader.LENGTH + 4, off + len);
    if (!mac.verify(buf, off, NtpHeader.LENGTH, got)) {
      return new Check(false, keyId, XEvent.OK, "MAC does not verify");
    }
    return new Check(true, keyId, XEvent.OK, "authentic");
  }

  /**
   * The server side: a client request carrying a trusted key's valid MAC is answered with {@code
   * replyHeader} MAC'd with the same key; any other MAC gets a crypto-NAK (ntpd {@code fast_xmit}
   * with key 0); a request without a MAC gets an unauthenticated reply unless {@code notrust}.
   *
   * @param notrust ntpd's {@code restrict … notrust}: refuse unauthenticated requests
   */
  public ServerResponse respond(byte[] buf, int off, int len, InetAddress client,
      NtpHeader replyHeader, boolean notrust) {
    Objects.requireNonNull(replyHeader, "replyHeader");
    return respondWith(this, buf, off, len, client, replyHeader, notrust);
  }

  /**
   * A server without keys (cryptotype NONE): unauthenticated requests get unauthenticated
   * replies, requests with any MAC a crypto-NAK.
   */
  public static ServerResponse respondWithoutKeys(byte[] buf, int off, int len,
      NtpHeader replyHeader) {
    return respondWith(null, buf, off, len, null, replyHeader, false);
  }

  private static ServerResponse respondWith(SymmetricKeyAuth auth, byte[] buf, int off, int len,
      InetAddress client, NtpHeader replyHeader, boolean notrust) {
    Objects.checkFromIndexSize(off, len, buf.length);
    byte[] header = replyHeader.toByteArray();
    if (len < NtpHeader.LENGTH || (buf[off] & 7) != NtpHeader.MODE_CLIENT) {
      return ServerResponse.drop(XEvent.OK, "not a client request");
    }
    if (len == NtpHeader.LENGTH) {
      if (notrust) {
        return ServerResponse.drop(XEvent.OK, "notrust: unauthenticated request refused");
      }
      return new ServerResponse(ServerResponse.Kind.REPLY, header, XEvent.OK, false,
          "unauthenticated");
    }
    Check c = auth == null ? new Check(false, 0, XEvent.OK, "no keys")
        : auth.check(buf, off, len, client);
    if (!c.authentic()) {
      byte[] nak = Arrays.copyOf(header, NtpHeader.LENGTH + 4);
      return new ServerResponse(ServerResponse.Kind.CRYPTO_NAK, nak, XEvent.OK, false,
          c.detail());
    }
    return new ServerResponse(ServerResponse.Kind.REPLY, auth.seal(replyHeader, c.keyId()),
        XEvent.OK, false, "key " + c.keyId());
  }

  private static int readInt(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  private static void putInt(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  @Override
  public String toString() {
    return "SymmetricKeyAuth[" + macs.size() + " trusted keys " + keys.keySet() + "]";
  }
}
