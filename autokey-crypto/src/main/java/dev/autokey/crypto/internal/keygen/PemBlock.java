package dev.autokey.crypto.internal.keygen;

import java.util.Objects;

/**
 * One PEM block: its label ({@code ENCRYPTED PRIVATE KEY}, {@code PRIVATE KEY}, {@code
 * CERTIFICATE}, {@code RSA PRIVATE KEY}, {@code DSA PRIVATE KEY}, …) and its DER content.
 *
 * <p>Immutable; the DER array is copied in and out. {@link #toString()} shows only the label and
 * length, never the bytes (which may be an unencrypted private key).
 */
public final class PemBlock {
  /** PKCS#8 EncryptedPrivateKeyInfo, what ntp-keygen writes for every private key. */
  public static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
  /** PKCS#8 PrivateKeyInfo, ntp-keygen's unencrypted {@code -e} exports. */
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  /** X.509 certificate. */
  public static final String CERTIFICATE = "CERTIFICATE";
  /** Traditional OpenSSL PKCS#1 RSAPrivateKey (unencrypted form only). */
  public static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
  /** Traditional OpenSSL DSA key {@code SEQUENCE {0, p, q, g, y, x}} (unencrypted form only). */
  public static final String DSA_PRIVATE_KEY = "DSA PRIVATE KEY";

  private final String label;
  private final byte[] der;

  /** A block with the given label and DER content. */
  public PemBlock(String label, byte[] der) {
    this.label = Objects.requireNonNull(label, "label");
    if (label.isEmpty() || label.length() > Pem.MAX_LABEL_LENGTH) {
      throw new IllegalArgumentException("bad PEM label length " + label.length());
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '-') {
        throw new IllegalArgumentException("bad character in PEM label");
      }
    }
    this.der = Objects.requireNonNull(der, "der").clone();
  }

  /** The label between {@code -----BEGIN } and {@code -----}. */
  public String label() {
    return label;
  }

  /** A copy of the DER bytes. */
  public byte[] der() {
    return der.clone();
  }

  /** The DER length. */
  public int length() {
    return der.length;
  }

  /** The PEM text: BEGIN line, Base64 in 64-character lines, END line, each ending in LF. */
  public String encode() {
    return Pem.encode(this);
  }

  /** Equal label and DER (constant-time on the DER bytes). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PemBlock p
        && p.label.equals(label)
        && java.security.MessageDigest.isEqual(p.der, der);
  }

  @Override
  public int hashCode() {
    return label.hashCode() * 31 + der.length;
  }

  @Override
  public String toString() {
    return "PemBlock[" + label + ", " + der.length + " bytes]";
  }
}
