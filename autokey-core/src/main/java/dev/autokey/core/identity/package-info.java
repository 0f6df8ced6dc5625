/**
 * Identity schemes TC, PC, IFF, GQ and MV behind one small interface.
 *
 * <p>{@link dev.autokey.core.identity.IdentityScheme} names the schemes, their status-word bits
 * and ntpd's selection rule. TC and PC have no exchange (trust comes from the certificate trail
 * or the shared private certificate); IFF, GQ and MV are implemented by {@link
 * dev.autokey.core.identity.IdentityClient} (make a challenge, check a response) and {@link
 * dev.autokey.core.identity.IdentityServer} (answer a challenge). The arithmetic lives in
 * {@code dev.autokey.crypto.identity} (module {@code dev.autokey.crypto}).
 */
package dev.autokey.core.identity;
