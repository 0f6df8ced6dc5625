/**
 * Autokey (RFC 5906) protocol core: pure protocol, no I/O, no Bouncy Castle.
 */
module dev.autokey.core {

  exports dev.autokey.core;
  exports dev.autokey.core.digest;
  exports dev.autokey.core.keys;
  exports dev.autokey.core.identity;
  exports dev.autokey.core.wire;
  exports dev.autokey.core.protocol;
  exports dev.autokey.core.sim;
  exports dev.autokey.core.cert;
  exports dev.autokey.core.crypto;
  // Add "exports" for an API package when its first class lands.
  // dev.autokey.core.internal is deliberately never exported.
}
