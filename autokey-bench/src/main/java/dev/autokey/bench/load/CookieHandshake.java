package dev.autokey.bench.load;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ServerCookies;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Obtains the cookie a server gives one client address through a real Autokey exchange run by
 * the library's client engine ({@link Association}): ASSOC, CERT (and the identity exchange if the
 * client suite has group keys), then COOK. The engine verifies every response (COOK's signature
 * included) and lights COOK; the cookie is then decrypted from that same verified COOK response
 * with the client's own host key ({@link CryptoSuite#cookieCipher()}), exactly what the engine
 * keys its plain requests with. The exchange stops at COOK: SIGN and LEAP do not change the
 * cookie.
 */
final class CookieHandshake {
  /** Receive timeout of one exchange before the request is sent again. */
  private static final int EXCHANGE_TIMEOUT_MS = 500;
  /** Datagram buffer: larger than any Autokey packet (ntpd's struct pkt is 2120 bytes). */
  private static final int BUFFER = 2121;

  /**
   * The outcome.
   *
   * @param cookie the cookie the server gave this client address
   * @param exchanges request/response exchanges sent
   * @param seconds wall time of the exchange
   * @param flags the client association's status word at the end
   */
  record Result(int cookie, int exchanges, double seconds, long flags) {}

  private CookieHandshake() {}

  /**
   * Runs the exchange from {@code local} (port chosen by the system) to {@code server}.
   *
   * @param max give up after this long
   * @param log one line per exchange and per engine event
   * @throws IOException on socket errors, or when the cookie was not obtained within {@code max}
   */
  static Result obtain(CryptoSuite suite, AutokeyConfig config, InetAddress local,
      InetSocketAddress server, Optional<String> ident, Duration max, PrintStream log)
      throws IOException, AutokeyException {
    SecureRandom random = new SecureRandom();
    AutokeyHost host = AutokeyHost.create(config, suite, random,
        e -> log.println("handshake event " + CryptostatsFormatter.format(e)));
    Association a = host.client(local, server.getAddress(), ident);
    long t0 = System.nanoTime();
    long deadline = t0 + max.toNanos();
    int exchanges = 0;
    long counter = 0;
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
      s.connect(server);
      s.setSoTimeout(EXCHANGE_TIMEOUT_MS);
      byte[] rx = new byte[BUFFER];
      while (System.nanoTime() < deadline) {
        long now = NtpTime.ofUnixMillis(System.currentTimeMillis()) + (++counter);
        NtpHeader q = NtpHeader.builder().leap(NtpHeader.LEAP_UNSYNCHRONIZED).version(4)
            .mode(NtpHeader.MODE_CLIENT).poll(6).transmitTimestamp(now).build();
        byte[] request = a.prepareTransmit(q, now);
        s.send(new DatagramPacket(request, request.length));
        exchanges++;
        DatagramPacket p = new DatagramPacket(rx, rx.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          log.println("handshake exchange " + exchanges + ": no reply in " + EXCHANGE_TIMEOUT_MS
              + " ms, sending again");
          continue;
        }
        byte[] cookieCiphertext = cookResponse(rx, p.getLength());
        boolean hadCookie = a.has(Flag.COOK);
        long rxTime = NtpTime.ofUnixMillis(System.currentTimeMillis());
        Verdict v = a.receive(rx, 0, p.getLength(), server.getAddress(), local, rxTime);
        log.println("handshake exchange " + exchanges + ": " + request.length + " -> "
            + p.getLength() + " bytes, " + v + ", flags 0x" + Long.toHexString(a.flags()));
        if (!hadCookie && a.has(Flag.COOK)) {
          if (cookieCiphertext == null) {
            throw new IOException("COOK lit by a reply without a COOK response field");
          }
          int cookie = suite.cookieCipher().decrypt(cookieCiphertext);
          return new Result(cookie, exchanges, (System.nanoTime() - t0) / 1e9, a.flags());
        }
      }
    }
    throw new IOException("no cookie from " + server + " after " + exchanges + " exchanges in "
        + max.toSeconds() + " s (flags 0x" + Long.toHexString(a.flags()) + ")");
  }

  /** The ciphertext of a COOK response field in the datagram, or null. */
  private static byte[] cookResponse(byte[] buf, int len) {
    AutokeyPacket p;
    try {
      p = PacketCodec.ntpd().decode(buf, 0, len);
    } catch (MalformedPacketException e) {
      return null; // the engine rejects it and says why
    }
    for (ExtensionField f : p.fields()) {
      if (f.opcode().equals(Opcode.COOK) && f.isResponse() && !f.isError()) {
        try {
          return f.cookieCiphertext();
        } catch (MalformedPacketException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * ntpd 4.2.8p15's cookie for (client, server): its server private value is always 0, so the
   * cookie is a public function of the two addresses (first 4 bytes of H(client || server || 0 ||
   * 0)).
   */
  static int ntpdCookie(SessionKeyEngine engine, InetAddress client, InetAddress server) {
    return ServerCookies.ntpdCompatible().cookie(engine, AddressPair.of(client, server), 0);
  }
}
