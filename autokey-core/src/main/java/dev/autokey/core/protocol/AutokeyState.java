package dev.autokey.core.protocol;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.cert.CertificateTrail;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.wire.AutoValues;
import dev.autokey.core.wire.HostStatus.Flag;

/**
 * What one association has learnt of its peer in the current exchange (ntpd's per-peer crypto
 * state): the status word with the progress flags, the peer's association ID, identity scheme and
 * challenge, certificate trail and key, cookies, and the timestamps of the last accepted AUTO and
 * COOK values. A restart clears all of it ({@link #clear}). Mutable and confined to its
 * {@link Association}; the response handlers write it only once a response passed every check.
 */
final class AutokeyState {
  long crypto; // peer status (masked) | progress bits; 0 = nothing received
  long assoc; // remote association ID
  IdentityScheme scheme;
  IdentityClient identityClient;
  IdentityChallenge challenge;
  CertificateTrail trail;
  CertificateInfo trustedRoot;
  SignatureVerifier pkey;
  int peerNid;
  String issuer;
  int cookie;
  int hcookie;
  long autoTs;
  long autoFs;
  long cookTs; // ntpd peer->cookval: timestamps of the last accepted COOK response
  long cookFs;
  AutoValues peerAuto;
  long leapTai;
  // A crypto-NAK was taken since the cookie arrived: nothing is usable for time until a new one.
  boolean nakSinceCookie;

  boolean has(Flag f) {
    return (crypto & f.bit()) != 0;
  }

  /** The number of certificates in the trail so far, -1 before ASSOC. */
  int trailLength() {
    return trail == null ? -1 : trail.chain().size();
  }

  /** ntpd {@code peer_clear}: forget the exchange. */
  void clear() {
    crypto = 0;
    assoc = 0;
    scheme = null;
    identityClient = null;
    challenge = null;
    trail = null;
    trustedRoot = null;
    pkey = null;
    peerNid = 0;
    issuer = null;
    cookie = 0;
    hcookie = 0;
    autoTs = 0;
    autoFs = 0;
    cookTs = 0;
    cookFs = 0;
    peerAuto = null;
    leapTai = 0;
    nakSinceCookie = false;
  }
}
