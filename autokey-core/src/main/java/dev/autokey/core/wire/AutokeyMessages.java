package dev.autokey.core.wire;

import java.nio.charset.StandardCharsets;

/**
 * The Autokey messages as extension fields, one factory per request and response kind (ASSOC,
 * CERT, COOK, AUTO, LEAP, SIGN, IFF/GQ/MV), plus the generic short, empty, error and value forms.
 * Every factory builds a canonical field with {@link ExtensionField#builder()}; decoding is the
 * {@link PacketCodec}'s.
 */
public final class AutokeyMessages {
  private static final byte[] EMPTY = new byte[0];

  private AutokeyMessages() {}

  /** An 8-byte request (e.g. AUTO or LEAP request). */
  public static ExtensionField shortRequest(Opcode opcode, long associationId) {
    return ExtensionField.builder().opcode(opcode).associationId(associationId).build();
  }

  /** An 8-byte response without the E bit (ntpd: CERT response when it has no certificate). */
  public static ExtensionField emptyResponse(Opcode opcode, long associationId) {
    return ExtensionField.builder().opcode(opcode).response(true).associationId(associationId).build();
  }

  /** An 8-byte error response (R and E bits), as ntpd sends for every failed request. */
  public static ExtensionField errorResponse(Opcode opcode, long associationId) {
    return ExtensionField.builder().opcode(opcode).response(true).error(true).associationId(associationId)
        .build();
  }

  /** A value-form request. {@code signature} may be empty (siglen 0). */
  public static ExtensionField valueRequest(Opcode opcode, long associationId, long timestamp,
      long filestamp, byte[] value, byte[] signature) {
    return ExtensionField.builder().opcode(opcode).associationId(associationId)
        .valueForm(timestamp, filestamp, value, signature).build();
  }

  /** A value-form response. {@code signature} may be empty (siglen 0). */
  public static ExtensionField valueResponse(Opcode opcode, long associationId, long timestamp,
      long filestamp, byte[] value, byte[] signature) {
    return ExtensionField.builder().opcode(opcode).response(true).associationId(associationId)
        .valueForm(timestamp, filestamp, value, signature).build();
  }

  /**
   * An ASSOC request or response: ts = {@code timestamp}, fs = status word, value = host name
   * (bytes of {@code hostName} in ISO-8859-1, no NUL), unsigned.
   */
  public static ExtensionField assoc(boolean response, long associationId, long timestamp,
      HostStatus status, String hostName) {
    byte[] name = hostName.getBytes(StandardCharsets.ISO_8859_1);
    return ExtensionField.builder().opcode(Opcode.ASSOC).response(response).associationId(associationId)
        .valueForm(timestamp, status.word(), name, EMPTY).build();
  }

  /** A CERT request for the certificate whose subject is {@code subjectName}. */
  public static ExtensionField certRequest(long associationId, long timestamp, long filestamp,
      String subjectName) {
    return valueRequest(Opcode.CERT, associationId, timestamp, filestamp,
        subjectName.getBytes(StandardCharsets.ISO_8859_1), EMPTY);
  }

  /** A CERT response carrying a DER certificate and its signature. */
  public static ExtensionField certResponse(long associationId, long timestamp, long filestamp,
      byte[] certificateDer, byte[] signature) {
    return valueResponse(Opcode.CERT, associationId, timestamp, filestamp, certificateDer,
        signature);
  }

  /** A COOK request carrying the requester's DER {@code RSAPublicKey}. */
  public static ExtensionField cookRequest(long associationId, long timestamp, long filestamp,
      byte[] publicKeyDer, byte[] signature) {
    return valueRequest(Opcode.COOK, associationId, timestamp, filestamp, publicKeyDer, signature);
  }

  /** A COOK response carrying the RSA-OAEP encrypted cookie. */
  public static ExtensionField cookResponse(long associationId, long timestamp, long filestamp,
      byte[] ciphertext, byte[] signature) {
    return valueResponse(Opcode.COOK, associationId, timestamp, filestamp, ciphertext, signature);
  }

  /** An 8-byte AUTO request; carries the <em>remote</em> association ID. */
  public static ExtensionField autoRequest(long remoteAssociationId) {
    return shortRequest(Opcode.AUTO, remoteAssociationId);
  }

  /** An AUTO response carrying key ID and sequence number. */
  public static ExtensionField autoResponse(long associationId, long timestamp, long filestamp,
      AutoValues values, byte[] signature) {
    return valueResponse(Opcode.AUTO, associationId, timestamp, filestamp, values.toBytes(),
        signature);
  }

  /** An 8-byte LEAP request. */
  public static ExtensionField leapRequest(long associationId) {
    return shortRequest(Opcode.LEAP, associationId);
  }

  /** A LEAP response carrying the three leap values. */
  public static ExtensionField leapResponse(long associationId, long timestamp, long filestamp,
      LeapValues values, byte[] signature) {
    return valueResponse(Opcode.LEAP, associationId, timestamp, filestamp, values.toBytes(),
        signature);
  }

  /** A SIGN request carrying the requester's self-signed DER certificate. */
  public static ExtensionField signRequest(long associationId, long timestamp, long filestamp,
      byte[] certificateDer, byte[] signature) {
    return valueRequest(Opcode.SIGN, associationId, timestamp, filestamp, certificateDer,
        signature);
  }

  /** A SIGN response carrying the newly issued DER certificate. */
  public static ExtensionField signResponse(long associationId, long timestamp, long filestamp,
      byte[] certificateDer, byte[] signature) {
    return valueResponse(Opcode.SIGN, associationId, timestamp, filestamp, certificateDer,
        signature);
  }

  /** An identity challenge (IFF, GQ or MV request). */
  public static ExtensionField identityRequest(Opcode scheme, long associationId, long timestamp,
      long filestamp, byte[] challenge, byte[] signature) {
    requireIdentity(scheme);
    return valueRequest(scheme, associationId, timestamp, filestamp, challenge, signature);
  }

  /** An identity response (IFF, GQ or MV). */
  public static ExtensionField identityResponse(Opcode scheme, long associationId, long timestamp,
      long filestamp, byte[] response, byte[] signature) {
    requireIdentity(scheme);
    return valueResponse(scheme, associationId, timestamp, filestamp, response, signature);
  }

  private static void requireIdentity(Opcode scheme) {
    if (!scheme.isIdentity()) {
      throw new IllegalArgumentException("not an identity opcode: " + scheme);
    }
  }
}
