package dev.autokey.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.crypto.SymmetricMac;
import dev.autokey.core.crypto.SymmetricMacFactory;
import dev.autokey.crypto.internal.Digests;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ntpd 4.2.8p15's symmetric-key MACs ({@code a_md5encrypt.c: make_mac}) on Bouncy Castle:
 *
 * <ul>
 *   <li>digest types ({@code MD5}, {@code SHA1}, {@code SHA256}, … any name {@link
 *       #isSupported} accepts): {@code Digest(key ‖ data)}, truncated to 20 bytes;
 *   <li>{@code AES128CMAC}: AES-128-CMAC with the key zero-padded (or cut) to 16 bytes, 16-byte
 *       tag.
 * </ul>
 */
public final class BcSymmetricMacs implements SymmetricMacFactory {
  /** The instance. */
  public static final BcSymmetricMacs INSTANCE = new BcSymmetricMacs();

  /** ntpd's name of the CMAC key type. */
  public static final String AES128CMAC = "AES128CMAC";

  private static final int AES_KEY = 16;

  private BcSymmetricMacs() {}

  /** Whether a canonical key type has an implementation. */
  public static boolean isSupported(String type) {
    return AES128CMAC.equals(type) || Digests.has(type);
  }

  @Override
  public SymmetricMac forKey(SymmetricKey key) throws AutokeyException {
    Objects.requireNonNull(key, "key");
    String type = key.type().toUpperCase(Locale.ROOT);
    if (AES128CMAC.equals(type)) {
      byte[] k = Arrays.copyOf(key.secret(), AES_KEY);
      return new Impl(key.keyId(), 16, k, true, null);
    }
    if (!Digests.has(type)) {
      throw new AutokeyException(XEvent.MD, "no MAC for key type " + key.type());
    }
    int len = Math.min(SymmetricMac.MAX_MAC_LENGTH, Digests.create(type).getDigestSize());
    return new Impl(key.keyId(), len, key.secret(), false, type);
  }

  private static final class Impl implements SymmetricMac {
    private final int keyId;
    private final int length;
    private final byte[] key;
    private final boolean cmac;
    private final String digest;

    Impl(int keyId, int length, byte[] key, boolean cmac, String digest) {
      this.keyId = keyId;
      this.length = length;
      this.key = key.clone();
      this.cmac = cmac;
      this.digest = digest;
    }

    @Override
    public int keyId() {
      return keyId;
    }

    @Override
    public int macLength() {
      return length;
    }

    @Override
    public byte[] compute(byte[] data, int off, int len) {
      Objects.checkFromIndexSize(off, len, data.length);
      if (cmac) {
        CMac m = new CMac(AESEngine.newInstance());
        m.init(new KeyParameter(key));
        m.update(data, off, len);
        byte[] out = new byte[m.getMacSize()];
        m.doFinal(out, 0);
        return out;
      }
      Digest d = Digests.create(digest);
      d.update(key, 0, key.length);
      d.update(data, off, len);
      byte[] out = new byte[d.getDigestSize()];
      d.doFinal(out, 0);
      return out.length == length ? out : Arrays.copyOf(out, length);
    }

    @Override
    public boolean verify(byte[] data, int off, int len, byte[] mac) {
      if (mac == null || mac.length != length) {
        return false;
      }
      return MessageDigest.isEqual(compute(data, off, len), mac);
    }

    @Override
    public String toString() {
      return "SymmetricMac[" + keyId + " " + (cmac ? AES128CMAC : digest) + ", " + length + " bytes]";
    }
  }
}
