/** ntp-keygen 4.2.8p15 compatible key files: host, sign, certificate, identity and symmetric key files; keys-directory loader. */
package dev.autokey.crypto.keygen;
