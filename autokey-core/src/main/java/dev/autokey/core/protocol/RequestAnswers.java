package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.Opcode;
import java.util.Optional;

/**
 * The server side's per-opcode table ({@code crypto_xmit}): one method per request opcode, each
 * charging its expensive work to the {@link ServerResponder}'s budget before doing it, and
 * answering empty (no E bit) when the budget refuses, so the client asks again. Used by the
 * responder's fast path and by symmetric peers answering their queued requests.
 */
final class RequestAnswers {
  private static final byte[] EMPTY = new byte[0];

  private RequestAnswers() {}

  /** The response to a version-2 request field; throws with ntpd's code for an error response. */
  static ExtensionField answer(ServerResponder r, AutokeyHost host, ExtensionField f, int cookie,
      long now, ServerResponder.Outcome o) throws AutokeyException {
    Opcode op = f.opcode();
    long associd = f.associationId();
    if (op.isIdentity()) {
      return identity(r, host, f, op, associd, now, o);
    }
    switch (op.code()) {
      case 1:
        o.detail = "ASSOC";
        return AutokeyMessages.assoc(true, associd, host.signatureUpdateTime(), host.status(),
            host.hostName());
      case 2:
        return cert(r, host, f, op, associd, now, o);
      case 3:
        return cook(r, host, f, op, associd, cookie, now, o);
      case 4:
        return auto(host, op, associd, o);
      case 5:
        return leap(r, host, op, associd, now, o);
      case 6:
        return sign(r, host, f, op, associd, now, o);
      default:
        throw new AutokeyException(XEvent.ERR, "no response for opcode " + op);
    }
  }

  private static ExtensionField cert(ServerResponder r, AutokeyHost host, ExtensionField f,
      Opcode op, long associd, long now, ServerResponder.Outcome o) throws AutokeyException {
    CryptoSuite s = host.suite();
    long upd = host.signatureUpdateTime();
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "CERT request without a name");
    }
    String name = f.certSubjectName();
    Optional<CertificateInfo> c = host.certificates().select(name);
    if (c.isEmpty() || !host.isSynchronised()) {
      o.detail = "CERT: no certificate for " + name;
      return AutokeyMessages.emptyResponse(op, associd);
    }
    CertificateInfo cert = c.get();
    byte[] der = cert.der();
    if (!r.budget(now, o, op, s.signer().work())) {
      return AutokeyMessages.emptyResponse(op, associd);
    }
    byte[] sig = host.cachedSignature("cert", upd, cert.filestamp(), der);
    o.detail = "CERT " + name;
    return AutokeyMessages.certResponse(associd, upd, cert.filestamp(), der, sig);
  }

  private static ExtensionField cook(ServerResponder r, AutokeyHost host, ExtensionField f,
      Opcode op, long associd, int cookie, long now, ServerResponder.Outcome o)
      throws AutokeyException {
    CryptoSuite s = host.suite();
    long upd = host.signatureUpdateTime();
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "COOK request without a key");
    }
    byte[] key = f.cookiePublicKeyDer();
    double work = s.cookieCipher().encryptWork(key)
        + (host.isSynchronised() ? s.signer().work() : 0);
    if (!r.budget(now, o, op, work)) {
      return AutokeyMessages.emptyResponse(op, associd);
    }
    byte[] ct = s.cookieCipher().encrypt(cookie, key);
    long ts = host.cryptoTime(now);
    byte[] sig = host.isSynchronised() ? host.sign(ts, upd, ct) : EMPTY;
    o.detail = "COOK";
    return AutokeyMessages.cookResponse(associd, ts, upd, ct, sig);
  }

  private static ExtensionField auto(AutokeyHost host, Opcode op, long associd,
      ServerResponder.Outcome o) throws AutokeyException {
    Optional<Association> a = host.association(associd);
    if (a.isEmpty() || !a.get().publishesAutoValues()) {
      throw new AutokeyException(XEvent.ERR, "AUTO request for unknown association "
          + associd);
    }
    Optional<ExtensionField> r = a.get().publishedAutoResponse();
    if (r.isEmpty()) {
      // Between a key list's expiry (key-age timer, refresh, restart) and the transmission
      // that makes the next one there are no values: answer empty, without the E bit, so the
      // client asks again instead of restarting; the next list's values are pushed with its
      // first broadcast (or symmetric packet) anyway.
      o.detail = "AUTO: no current key list, answered empty";
      return AutokeyMessages.emptyResponse(op, associd);
    }
    o.detail = "AUTO";
    return r.get();
  }

  private static ExtensionField leap(ServerResponder r, AutokeyHost host, Opcode op,
      long associd, long now, ServerResponder.Outcome o) throws AutokeyException {
    CryptoSuite s = host.suite();
    long upd = host.signatureUpdateTime();
    var lv = host.leapValues();
    long fs = s.hostKeyFilestamp();
    if (!r.budget(now, o, op, s.signer().work())) {
      return AutokeyMessages.emptyResponse(op, associd);
    }
    byte[] sig = upd != 0 ? host.cachedSignature("leap", upd, fs, lv.toBytes()) : EMPTY;
    o.detail = "LEAP";
    return AutokeyMessages.leapResponse(associd, upd, fs, lv, sig);
  }

  private static ExtensionField sign(ServerResponder r, AutokeyHost host, ExtensionField f,
      Opcode op, long associd, long now, ServerResponder.Outcome o) throws AutokeyException {
    CryptoSuite s = host.suite();
    if (!host.isSynchronised()) {
      throw new AutokeyException(XEvent.TSP, "unsynchronised: not signing");
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "SIGN request without a certificate");
    }
    byte[] req = f.certificateDer();
    if (!r.budget(now, o, op, s.signCertificateWork(req) + s.signer().work())) {
      return AutokeyMessages.emptyResponse(op, associd);
    }
    long ts = host.cryptoTime(now);
    byte[] der = s.signCertificate(req, ts, host.ownCertificate());
    byte[] sig = host.sign(ts, f.filestamp(), der);
    o.detail = "SIGN";
    return AutokeyMessages.signResponse(associd, ts, f.filestamp(), der, sig);
  }

  private static ExtensionField identity(ServerResponder r, AutokeyHost host, ExtensionField f,
      Opcode op, long associd, long now, ServerResponder.Outcome o) throws AutokeyException {
    CryptoSuite s = host.suite();
    IdentityScheme scheme = IdentityScheme.forOpcode(op.code()).orElseThrow();
    Optional<IdentityServer> srv = s.identityServer(scheme);
    if (srv.isEmpty()) {
      throw new AutokeyException(XEvent.ID, "no " + scheme + " server key");
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, op + " request without a challenge");
    }
    double work = srv.get().responseWork() + (host.isSynchronised() ? s.signer().work() : 0);
    if (!r.budget(now, o, op, work)) {
      return AutokeyMessages.emptyResponse(op, associd);
    }
    byte[] resp = srv.get().respond(f.identityValue(), host.random());
    long ts = host.cryptoTime(now);
    long fs = srv.get().filestamp();
    byte[] sig = host.isSynchronised() ? host.sign(ts, fs, resp) : EMPTY;
    o.detail = op.name();
    return AutokeyMessages.identityResponse(op, associd, ts, fs, resp, sig);
  }
}
