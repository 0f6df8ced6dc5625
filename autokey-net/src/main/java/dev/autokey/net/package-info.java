/**
 * UDP transport ({@link dev.autokey.net.UdpTransport}) and minimal NTP ({@link
 * dev.autokey.net.NtpNode}): client, server, broadcast and symmetric exchanges with RFC 5905
 * origin/receive/transmit handling and on-wire offset and delay per sample ({@link
 * dev.autokey.net.TimeSample}). Authentication plugs in through {@link
 * dev.autokey.net.PacketAuthenticator} and {@link dev.autokey.net.ServerAuthenticator}.
 *
 * <p>The front door for the common jobs: {@link dev.autokey.net.AutokeyClient} (an authenticated
 * client of one or more Autokey servers: samples, protocol events, status snapshots) and {@link
 * dev.autokey.net.AutokeyServer} (the local clock at stratum N, answering Autokey requests), each
 * one builder over the classes above.
 *
 * <p>Nothing here sets or slews the system clock: a caller feeds the {@link
 * dev.autokey.net.TimeSample}s it receives to its own discipline.
 */
package dev.autokey.net;
