/** Public-key operations the protocol needs (signatures over extension-field values, cookie encryption), as small interfaces implemented by autokey-crypto. */
package dev.autokey.core.crypto;
