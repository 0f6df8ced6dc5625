/**
 * The ntp-keygen file plumbing: PEM armour, PKCS#8 PBES2 private-key encryption, private-key
 * blocks and their raw RSA/DSA fields, identity-file blocks, filestamps. Not exported; not API.
 * Users read and write key files through {@code dev.autokey.crypto.keygen} ({@code KeygenFile},
 * {@code KeysDirectory}, {@code SymmetricKeysFile}) and {@code dev.autokey.crypto.identity}
 * ({@code IdentityFiles} readers, {@code KeyFolderWriter}).
 */
package dev.autokey.crypto.internal.keygen;
