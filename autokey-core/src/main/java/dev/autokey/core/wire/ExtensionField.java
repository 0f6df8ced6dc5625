package dev.autokey.core.wire;

import dev.autokey.core.XEvent;
import dev.autokey.core.wire.MalformedPacketException.Reason;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One Autokey extension field, immutable, in ntpd 4.2.8p15's octet order (docs/protocol.md §2):
 *
 * <pre>
 *  byte 0: R (0x80) | E (0x40) | version (6 bits, 2)   byte 1: opcode   bytes 2-3: length
 *  word 1: association ID
 *  value form only (length &gt;= 24):
 *  timestamp | filestamp | vallen | value, padded to 4 | siglen | signature, padded to 4
 * </pre>
 *
 * <p>A field is either in the <em>short form</em> (length 8: header word and association ID; ntpd
 * sends it for AUTO and LEAP requests, error responses and empty CERT responses) or in the
 * <em>value form</em>. To re-encode every accepted input byte for byte, a field also keeps what
 * ntpd tolerates but never sends: non-zero padding bytes and bytes after the padded signature (or,
 * in a short-form field of length 12..20, after the association ID). Fields built with the
 * factories ({@link AutokeyMessages}) are canonical: zero padding and no trailing bytes.
 *
 * <p>Getters return copies of arrays. The raw value-form getters ({@link #timestamp()}, {@link
 * #value()}, ...) return 0 or an empty array for a short-form field; the typed accessors
 * ({@link #assocHostName()}, {@link #autoValues()}, ...) apply ntpd's checks for their message
 * kind and throw {@link MalformedPacketException} with ntpd's XEVNT code.
 *
 * <p>Over 400 lines because the field, its typed accessors (each with ntpd's bounds) and the
 * builder that can express every byte string ntpd accepts are one concept; the message factories
 * are {@link AutokeyMessages}, the value records {@link AutoValues} and {@link LeapValues}.
 */
public final class ExtensionField {
  /** Length of the header word plus association ID: {@value}. */
  public static final int HEADER_LENGTH = 8;
  /** Minimum length of the value form (header, ts, fs, vallen, siglen): {@value}. */
  public static final int VALUE_FORM_MIN_LENGTH = 24;
  /** Largest length the 16-bit length field can hold that is a multiple of 4: {@value}. */
  public static final int MAX_ENCODABLE_LENGTH = 0xFFFC;
  /** The Autokey version ntpd sends and accepts: {@value}. */
  public static final int AUTOKEY_VERSION = 2;
  /** Largest value or signature length ntpd accepts ({@code MAX_VALLEN} = 65535 - 24): {@value}. */
  public static final int MAX_VALLEN = 65511;
  /** Largest host/subject name ntpd accepts in ASSOC and CERT ({@code MAXHOSTNAME}): {@value}. */
  public static final int MAX_HOST_NAME = 512;
  /** Largest ASSOC name ntpd's receive pre-check accepts when the local host has a group: {@value}. */
  public static final int MAX_GROUP_PRECHECK_NAME = 256;
  /** Largest AUTO sequence number a peer can hold ({@code NTP_MAXSESSION}): {@value}. */
  public static final int MAX_SESSION_SEQUENCE = 100;
  /** Value length of an AUTO response: {@value}. */
  public static final int AUTO_VALUE_LENGTH = 8;
  /** Value length of a LEAP response: {@value}. */
  public static final int LEAP_VALUE_LENGTH = 12;

  private static final byte[] EMPTY = new byte[0];

  private final boolean response;
  private final boolean error;
  private final int version;
  private final Opcode opcode;
  private final long associationId;
  private final boolean valueForm;
  private final long timestamp;
  private final long filestamp;
  private final byte[] value;
  private final byte[] signature;
  private final byte[] valuePadding;
  private final byte[] signaturePadding;
  private final byte[] trailer;
  private final int length;

  private ExtensionField(Builder b) {
    this.response = b.response;
    this.error = b.error;
    this.version = b.version;
    this.opcode = b.opcode;
    this.associationId = b.associationId;
    this.valueForm = b.valueForm;
    this.timestamp = b.timestamp;
    this.filestamp = b.filestamp;
    this.value = b.value;
    this.signature = b.signature;
    this.valuePadding = b.valuePadding;
    this.signaturePadding = b.signaturePadding;
    this.trailer = b.trailer;
    long len = valueForm
        ? VALUE_FORM_MIN_LENGTH + Bytes.pad4(value.length) + Bytes.pad4(signature.length)
            + trailer.length
        : HEADER_LENGTH + trailer.length;
    this.length = (int) len;
  }

  // ---------------------------------------------------------------- factories

  /** A new builder (short form, request, version 2, opcode NULL, association ID 0). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this field's content. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.response = response;
    b.error = error;
    b.version = version;
    b.opcode = opcode;
    b.associationId = associationId;
    b.valueForm = valueForm;
    b.timestamp = timestamp;
    b.filestamp = filestamp;
    b.value = value;
    b.signature = signature;
    b.valuePadding = valuePadding;
    b.signaturePadding = signaturePadding;
    b.trailer = trailer;
    return b;
  }

  /** This field with {@code signature} in place of its signature (value form only). */
  public ExtensionField withSignature(byte[] signature) {
    requireValueFormState();
    return toBuilder().signature(signature).build();
  }

  /** This field with another association ID. */
  public ExtensionField withAssociationId(long associationId) {
    return toBuilder().associationId(associationId).build();
  }

  /** The canonical form of this field: zero padding, no trailing bytes. */
  public ExtensionField canonical() {
    if (isCanonical()) {
      return this;
    }
    return toBuilder().valuePadding(new byte[valuePadding.length])
        .signaturePadding(new byte[signaturePadding.length]).trailer(EMPTY).build();
  }

  // ---------------------------------------------------------------- raw getters

  /** Whether the R (response) bit is set. */
  public boolean isResponse() {
    return response;
  }

  /** Whether the E (error) bit is set. */
  public boolean isError() {
    return error;
  }

  /** The 6-bit version (2 for Autokey v2). */
  public int version() {
    return version;
  }

  /** The opcode. */
  public Opcode opcode() {
    return opcode;
  }

  /** The association ID (unsigned 32 bits). */
  public long associationId() {
    return associationId;
  }

  /** The encoded length in bytes (a multiple of 4). */
  public int length() {
    return length;
  }

  /** The header word: R|E|version|opcode|length, as ntpd builds it. */
  public int headerWord() {
    return (response ? 0x80000000 : 0) | (error ? 0x40000000 : 0) | (version << 24)
        | (opcode.code() << 16) | length;
  }

  /** Whether the field is in the value form (length &gt;= 24). */
  public boolean isValueForm() {
    return valueForm;
  }

  /** Timestamp (NTP seconds, unsigned); 0 for a short-form field. */
  public long timestamp() {
    return timestamp;
  }

  /** Filestamp (NTP seconds, unsigned; the status word in ASSOC); 0 for a short-form field. */
  public long filestamp() {
    return filestamp;
  }

  /** The value length ({@code vallen}); 0 for a short-form field. */
  public int valueLength() {
    return value.length;
  }

  /** The value bytes, unpadded (a copy); empty for a short-form field. */
  public byte[] value() {
    return value.clone();
  }

  /** The signature length ({@code siglen}); 0 for a short-form or unsigned field. */
  public int signatureLength() {
    return signature.length;
  }

  /** The signature bytes, unpadded (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  /** Whether the field carries a signature ({@code siglen > 0}). */
  public boolean isSigned() {
    return signature.length > 0;
  }

  /** The bytes padding the value to 4 (0..3 bytes; zero in canonical fields). */
  public byte[] valuePadding() {
    return valuePadding.clone();
  }

  /** The bytes padding the signature to 4 (0..3 bytes; zero in canonical fields). */
  public byte[] signaturePadding() {
    return signaturePadding.clone();
  }

  /** Bytes after the padded signature (value form) or after the association ID (short form). */
  public byte[] trailer() {
    return trailer.clone();
  }

  /** Whether padding is zero and there are no trailing bytes (what ntpd always sends). */
  public boolean isCanonical() {
    return trailer.length == 0 && Bytes.allZero(valuePadding) && Bytes.allZero(signaturePadding);
  }

  /**
   * The bytes every Autokey signature covers (docs/protocol.md §6): {@code ts | fs | vallen | value}
   * (value unpadded), i.e. {@code 12 + vallen} bytes.
   *
   * @throws IllegalStateException for a short-form field
   */
  public byte[] signedBytes() {
    requireValueFormState();
    byte[] out = new byte[12 + value.length];
    ByteBuffer b = ByteBuffer.wrap(out);
    Bytes.putInt(b, 0, (int) timestamp);
    Bytes.putInt(b, 4, (int) filestamp);
    Bytes.putInt(b, 8, value.length);
    System.arraycopy(value, 0, out, 12, value.length);
    return out;
  }

  /** Writes the field at {@code out}'s position and advances it; allocates nothing. */
  public void writeTo(ByteBuffer out) {
    if (out.remaining() < length) {
      throw new BufferOverflowException();
    }
    int p = out.position();
    Bytes.putInt(out, p, headerWord());
    Bytes.putInt(out, p + 4, (int) associationId);
    int i = p + HEADER_LENGTH;
    if (valueForm) {
      Bytes.putInt(out, i, (int) timestamp);
      Bytes.putInt(out, i + 4, (int) filestamp);
      Bytes.putInt(out, i + 8, value.length);
      i += 12;
      out.put(i, value);
      i += value.length;
      out.put(i, valuePadding);
      i += valuePadding.length;
      Bytes.putInt(out, i, signature.length);
      i += 4;
      out.put(i, signature);
      i += signature.length;
      out.put(i, signaturePadding);
      i += signaturePadding.length;
    }
    out.put(i, trailer);
    out.position(p + length);
  }

  /** The encoded field (a fresh array of {@link #length()} bytes). */
  public byte[] toByteArray() {
    byte[] b = new byte[length];
    writeTo(ByteBuffer.wrap(b));
    return b;
  }

  // ---------------------------------------------------------------- typed accessors

  private void requireValueFormState() {
    if (!valueForm) {
      throw new IllegalStateException("short-form " + opcode + " field has no value");
    }
  }

  private void requireOpcode(Opcode... allowed) {
    for (Opcode o : allowed) {
      if (o.equals(opcode)) {
        return;
      }
    }
    throw new IllegalStateException("accessor not for " + opcode + " fields");
  }

  private MalformedPacketException malformed(XEvent e, Reason r, String msg, long v, long limit) {
    return new MalformedPacketException(e, r, opcode + ": " + msg, v, limit, -1, -1,
        headerWord() & 0xFFFFFFFFL, associationId);
  }

  /**
   * Requires the value form, as ntpd's {@code crypto_verify} does ({@code XEVNT_LEN}).
   *
   * @throws MalformedPacketException LEN / NOT_VALUE_FORM for a short-form field
   */
  public void requireValueForm() throws MalformedPacketException {
    if (!valueForm) {
      throw malformed(XEvent.LEN, Reason.NOT_VALUE_FORM, "value form required", length,
          VALUE_FORM_MIN_LENGTH);
    }
  }

  private byte[] name(int max) throws MalformedPacketException {
    requireValueForm();
    if (value.length < 1 || value.length > max) {
      throw malformed(XEvent.LEN, Reason.NAME_LENGTH, "name length must be 1.." + max,
          value.length, max);
    }
    int n = 0;
    while (n < value.length && value[n] != 0) {
      n++;
    }
    return Arrays.copyOf(value, n);
  }

  /**
   * ASSOC: the sender's host name (ntpd checks length 1..512; like ntpd's C string, the name ends
   * at the first NUL byte), decoded as ISO-8859-1 so every byte maps to one char.
   *
   * @throws MalformedPacketException LEN for a short-form field or a name length outside 1..512
   */
  public String assocHostName() throws MalformedPacketException {
    requireOpcode(Opcode.ASSOC);
    return new String(name(MAX_HOST_NAME), StandardCharsets.ISO_8859_1);
  }

  /**
   * ASSOC: the sender's status word (the filestamp slot), unmasked. Mask it with {@link
   * HostStatus#maskedForReceive()} before storing it.
   *
   * @throws MalformedPacketException LEN for a short-form field
   */
  public HostStatus assocStatus() throws MalformedPacketException {
    requireOpcode(Opcode.ASSOC);
    requireValueForm();
    return HostStatus.of(filestamp);
  }

  /**
   * CERT request: the subject name wanted (ntpd's server checks 1..512 bytes); ends at the first
   * NUL.
   *
   * @throws MalformedPacketException LEN for a short-form field or a bad name length
   */
  public String certSubjectName() throws MalformedPacketException {
    requireOpcode(Opcode.CERT);
    return new String(name(MAX_HOST_NAME), StandardCharsets.ISO_8859_1);
  }

  /**
   * CERT response, SIGN request or SIGN response: the DER certificate (unparsed).
   *
   * @throws MalformedPacketException LEN for a short-form field
   */
  public byte[] certificateDer() throws MalformedPacketException {
    requireOpcode(Opcode.CERT, Opcode.SIGN);
    requireValueForm();
    return value.clone();
  }

  /**
   * COOK request: the requester's DER {@code RSAPublicKey} (PKCS#1, unparsed).
   *
   * @throws MalformedPacketException LEN for a short-form field
   */
  public byte[] cookiePublicKeyDer() throws MalformedPacketException {
    requireOpcode(Opcode.COOK);
    requireValueForm();
    return value.clone();
  }

  /**
   * COOK response: the RSA-OAEP ciphertext of the cookie.
   *
   * @throws MalformedPacketException LEN for a short-form field
   */
  public byte[] cookieCiphertext() throws MalformedPacketException {
    requireOpcode(Opcode.COOK);
    requireValueForm();
    return value.clone();
  }

  /**
   * AUTO response: key ID and sequence number.
   *
   * @throws MalformedPacketException LEN for a short-form field, a value length other than 8, or a
   *     sequence number above {@value #MAX_SESSION_SEQUENCE} (docs/security.md T26)
   */
  public AutoValues autoValues() throws MalformedPacketException {
    requireOpcode(Opcode.AUTO);
    requireValueForm();
    if (value.length != AUTO_VALUE_LENGTH) {
      throw malformed(XEvent.LEN, Reason.BAD_VALUE_LENGTH, "AUTO value length must be 8",
          value.length, AUTO_VALUE_LENGTH);
    }
    AutoValues v = AutoValues.fromBytes(value);
    if (v.sequence() > MAX_SESSION_SEQUENCE) {
      throw malformed(XEvent.LEN, Reason.BAD_VALUE, "AUTO sequence above NTP_MAXSESSION",
          v.sequence(), MAX_SESSION_SEQUENCE);
    }
    return v;
  }

  /**
   * LEAP response: the three leap values. ntpd 4.2.8p15 silently ignores a LEAP response whose
   * value length is not 12; this accessor reports it so the caller can do the same.
   *
   * @throws MalformedPacketException LEN for a short-form field or a value length other than 12
   */
  public LeapValues leapValues() throws MalformedPacketException {
    requireOpcode(Opcode.LEAP);
    requireValueForm();
    if (value.length != LEAP_VALUE_LENGTH) {
      throw malformed(XEvent.LEN, Reason.BAD_VALUE_LENGTH, "LEAP value length must be 12",
          value.length, LEAP_VALUE_LENGTH);
    }
    return LeapValues.fromBytes(value);
  }

  /**
   * IFF, GQ or MV: the challenge (request) or the DER response (response), unparsed.
   *
   * @throws MalformedPacketException LEN for a short-form field
   */
  public byte[] identityValue() throws MalformedPacketException {
    if (!opcode.isIdentity()) {
      throw new IllegalStateException("accessor not for " + opcode + " fields");
    }
    requireValueForm();
    return value.clone();
  }

  // ---------------------------------------------------------------- Object

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ExtensionField)) {
      return false;
    }
    ExtensionField f = (ExtensionField) o;
    return response == f.response && error == f.error && version == f.version
        && opcode.equals(f.opcode) && associationId == f.associationId
        && valueForm == f.valueForm && timestamp == f.timestamp && filestamp == f.filestamp
        && Arrays.equals(value, f.value) && Arrays.equals(signature, f.signature)
        && Arrays.equals(valuePadding, f.valuePadding)
        && Arrays.equals(signaturePadding, f.signaturePadding)
        && Arrays.equals(trailer, f.trailer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(response, error, version, opcode, associationId, valueForm, timestamp,
        filestamp, Arrays.hashCode(value), Arrays.hashCode(signature), Arrays.hashCode(trailer));
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(opcode).append(error ? " error" : "").append(response ? " response" : " request");
    s.append(String.format(Locale.ROOT, " [word %08x assoc %d", headerWord(), associationId));
    if (version != AUTOKEY_VERSION) {
      s.append(" version ").append(version);
    }
    if (valueForm) {
      s.append(" ts ").append(timestamp).append(" fs ").append(filestamp)
          .append(" vallen ").append(value.length).append(" siglen ").append(signature.length);
    }
    if (!isCanonical()) {
      s.append(" non-canonical");
    }
    return s.append(']').toString();
  }

  static long checkU32(String what, long v) {
    if (v < 0 || v > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(what + " must be an unsigned 32-bit value: " + v);
    }
    return v;
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds any field, including non-canonical ones (non-zero padding, trailing bytes) and foreign
   * versions, so that tests and the decoder can represent every byte string ntpd accepts.
   */
  public static final class Builder {
    private boolean response;
    private boolean error;
    private int version = AUTOKEY_VERSION;
    private Opcode opcode = Opcode.NULL;
    private long associationId;
    private boolean valueForm;
    private long timestamp;
    private long filestamp;
    private byte[] value = EMPTY;
    private byte[] signature = EMPTY;
    private byte[] valuePadding = EMPTY;
    private byte[] signaturePadding = EMPTY;
    private byte[] trailer = EMPTY;

    private Builder() {}

    /** The R bit. */
    public Builder response(boolean response) {
      this.response = response;
      return this;
    }

    /** The E bit. */
    public Builder error(boolean error) {
      this.error = error;
      return this;
    }

    /** The 6-bit version (default 2). */
    public Builder version(int version) {
      if (version < 0 || version > 0x3F) {
        throw new IllegalArgumentException("version must be 0..63: " + version);
      }
      this.version = version;
      return this;
    }

    /** The opcode. */
    public Builder opcode(Opcode opcode) {
      this.opcode = Objects.requireNonNull(opcode, "opcode");
      return this;
    }

    /** The association ID (unsigned 32 bits). */
    public Builder associationId(long associationId) {
      this.associationId = checkU32("association ID", associationId);
      return this;
    }

    /** Switches to the short form (clears value-form content). */
    public Builder shortForm() {
      valueForm = false;
      timestamp = 0;
      filestamp = 0;
      value = EMPTY;
      signature = EMPTY;
      valuePadding = EMPTY;
      signaturePadding = EMPTY;
      return this;
    }

    /** Switches to the value form with the given content (zero padding). */
    public Builder valueForm(long timestamp, long filestamp, byte[] value, byte[] signature) {
      this.valueForm = true;
      this.timestamp = checkU32("timestamp", timestamp);
      this.filestamp = checkU32("filestamp", filestamp);
      value(value);
      signature(signature);
      return this;
    }

    /** The value (value form; copied); resets the value padding to zeros. */
    public Builder value(byte[] value) {
      this.valueForm = true;
      this.value = value.clone();
      this.valuePadding = new byte[padLength(this.value.length)];
      return this;
    }

    /** The signature (value form; copied; may be empty); resets the signature padding to zeros. */
    public Builder signature(byte[] signature) {
      this.valueForm = true;
      this.signature = signature.clone();
      this.signaturePadding = new byte[padLength(this.signature.length)];
      return this;
    }

    /** Timestamp (value form). */
    public Builder timestamp(long timestamp) {
      this.valueForm = true;
      this.timestamp = checkU32("timestamp", timestamp);
      return this;
    }

    /** Filestamp (value form). */
    public Builder filestamp(long filestamp) {
      this.valueForm = true;
      this.filestamp = checkU32("filestamp", filestamp);
      return this;
    }

    /** Value padding bytes; must be exactly {@code P(vallen) - vallen} bytes (set after the value). */
    public Builder valuePadding(byte[] padding) {
      if (padding.length != padLength(value.length)) {
        throw new IllegalArgumentException("value padding must be " + padLength(value.length)
            + " bytes: " + padding.length);
      }
      this.valuePadding = padding.clone();
      return this;
    }

    /** Signature padding bytes; exactly {@code P(siglen) - siglen} bytes (set after the signature). */
    public Builder signaturePadding(byte[] padding) {
      if (padding.length != padLength(signature.length)) {
        throw new IllegalArgumentException("signature padding must be "
            + padLength(signature.length) + " bytes: " + padding.length);
      }
      this.signaturePadding = padding.clone();
      return this;
    }

    /** Bytes after the padded signature (value form) or after the association ID (short form). */
    public Builder trailer(byte[] trailer) {
      this.trailer = trailer.clone();
      return this;
    }

    private static int padLength(int n) {
      return (int) (Bytes.pad4(n) - n);
    }

    /**
     * The field.
     *
     * @throws IllegalArgumentException if the trailer is not a multiple of 4, a short-form trailer
     *     would make the field 24 bytes or longer, or the length exceeds {@value
     *     #MAX_ENCODABLE_LENGTH}
     */
    public ExtensionField build() {
      if (trailer.length % 4 != 0) {
        throw new IllegalArgumentException("trailer must be a multiple of 4 bytes: "
            + trailer.length);
      }
      long len;
      if (valueForm) {
        len = VALUE_FORM_MIN_LENGTH + Bytes.pad4(value.length) + Bytes.pad4(signature.length)
            + trailer.length;
      } else {
        len = HEADER_LENGTH + trailer.length;
        if (len >= VALUE_FORM_MIN_LENGTH) {
          throw new IllegalArgumentException("short-form field must be shorter than 24 bytes: "
              + len);
        }
      }
      if (len > MAX_ENCODABLE_LENGTH) {
        throw new IllegalArgumentException("field length " + len + " exceeds "
            + MAX_ENCODABLE_LENGTH);
      }
      return new ExtensionField(this);
    }
  }
}
