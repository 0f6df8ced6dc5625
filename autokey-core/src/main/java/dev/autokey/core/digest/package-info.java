/** Session digests (MD5 default, SHA-1 and the other digests ntpd accepts for crypto digest) behind a small interface. */
package dev.autokey.core.digest;
