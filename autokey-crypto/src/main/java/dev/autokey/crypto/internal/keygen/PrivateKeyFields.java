package dev.autokey.crypto.internal.keygen;

/**
 * The raw integers of a private key as ntp-keygen stores them, without any validation of their
 * mathematical relations (the identity files deliberately hold "keys" such as RSA d = p = q = 1 or
 * DSA q = g = 1 that a JCA key factory would refuse).
 */
public sealed interface PrivateKeyFields permits RsaKeyFields, DsaKeyFields {
  /** Highest bit length of any integer read from a file. */
  int MAX_BITS = 16_384;

  /** The DER PKCS#8 {@code PrivateKeyInfo} (version 0, no attributes, no public key field). */
  byte[] toPrivateKeyInfo();

  /** The traditional OpenSSL structure (PKCS#1 RSAPrivateKey, or DSA {0,p,q,g,y,x}). */
  byte[] toTraditional();

  /** The PEM label of {@link #toTraditional()}. */
  String traditionalLabel();
}
