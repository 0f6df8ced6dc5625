/**
 * The Autokey association engine, sans I/O: {@link dev.autokey.core.protocol.AutokeyHost} (one per
 * host: configuration, own credentials, certificate cache, signature-update time, server private
 * value), {@link dev.autokey.core.protocol.Association} (one per peer: client, symmetric,
 * broadcast), {@link dev.autokey.core.protocol.ServerResponder} (ntpd's stateless fast path),
 * results as {@link dev.autokey.core.protocol.Verdict} values and typed {@link
 * dev.autokey.core.protocol.ProtocolEvent}s, and the {@code cryptostats} line formatter.
 *
 * <p>No sockets, threads or wall clock inside: the caller passes every datagram with its
 * addresses and its receive time, asks {@link dev.autokey.core.protocol.Association#nextDeadline()}
 * when to call {@link dev.autokey.core.protocol.Association#onTimer(long)}, and injects the
 * {@link java.security.SecureRandom}. Times are NTP 64-bit timestamps (see {@link
 * dev.autokey.core.protocol.NtpTime}).
 */
package dev.autokey.core.protocol;
