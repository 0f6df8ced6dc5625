/**
 * ntp-keygen 4.2.8p15 compatible key files: {@link dev.autokey.crypto.keygen.KeygenFile} (one file:
 * read, parse, write safely, link), {@link dev.autokey.crypto.keygen.KeysDirectory} (an ntpd
 * {@code keysdir}: the host's keys and certificate as {@link
 * dev.autokey.crypto.keygen.HostCredentials}, identity files through a loader), {@link
 * dev.autokey.crypto.keygen.SymmetricKeysFile} ({@code ntp.keys}), {@link
 * dev.autokey.crypto.keygen.KeygenFileName} and {@link dev.autokey.crypto.keygen.KeygenException}.
 * Whole key folders are written by {@link dev.autokey.crypto.identity.KeyFolderWriter}. The PEM,
 * PKCS#8 encryption and raw key-field plumbing underneath is internal to the module.
 */
package dev.autokey.crypto.keygen;
