/**
 * Autokey crypto on Bouncy Castle (lightweight API inside; JCA types at the boundary).
 */
module dev.autokey.crypto {
  requires transitive dev.autokey.core;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;

  exports dev.autokey.crypto.identity;
  exports dev.autokey.crypto;
  exports dev.autokey.crypto.keygen;
  exports dev.autokey.crypto.suite;
  // Add "exports" for an API package when its first class lands.
  // dev.autokey.crypto.internal is deliberately never exported.
}
