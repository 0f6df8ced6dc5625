package dev.autokey.core.wire;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * Raised for every malformed Autokey packet, field or value. Carries the {@link XEvent} ntpd
 * 4.2.8p15 raises (or, for the silent drops of its first parse pass, {@link XEvent#LEN}), a
 * {@link Reason}, the offending value, the limit it broke and, when the problem is inside an
 * extension field, that field's index, offset and header (so a server can still answer with an
 * error response for the field's opcode, as ntpd does).
 */
public final class MalformedPacketException extends AutokeyException {
  private static final long serialVersionUID = 1L;

  /** What exactly was wrong. */
  public enum Reason {
    /** Datagram shorter than the 48-byte NTP header. */
    DATAGRAM_TOO_SHORT,
    /** Datagram longer than the configured maximum (ntpd reads at most 2120 bytes). */
    DATAGRAM_TOO_LONG,
    /** Bytes left after the header/fields are not a multiple of 4 or fewer than 4 (no EF, no MAC). */
    BAD_REMAINDER,
    /** Extension-field length not a multiple of 4. */
    FIELD_LENGTH_NOT_ALIGNED,
    /** Extension-field length 0 (dropped) or 4 (protocol error in ntpd's second pass). */
    FIELD_TOO_SHORT,
    /** Extension-field length larger than the bytes left in the datagram. */
    FIELD_BEYOND_DATAGRAM,
    /** Extension-field length above the configured maximum. */
    FIELD_TOO_LONG,
    /** More extension fields than the configured maximum. */
    TOO_MANY_FIELDS,
    /** Value form with value length 0. */
    VALUE_LENGTH_ZERO,
    /** Value length larger than the field length minus 24. */
    VALUE_LENGTH_OVERRUN,
    /** Value length above the configured maximum (ntpd: 65511). */
    VALUE_TOO_LONG,
    /** Signature length above the configured maximum (ntpd: 65511). */
    SIGNATURE_TOO_LONG,
    /** Padded signature does not fit in the field after the padded value. */
    SIGNATURE_LENGTH_OVERRUN,
    /** A message that needs the value form (24 bytes or more) came in the 8-byte short form. */
    NOT_VALUE_FORM,
    /** The value length is wrong for the message kind (AUTO: 8, LEAP: 12, ...). */
    BAD_VALUE_LENGTH,
    /** A value inside the field is out of range (e.g. AUTO sequence above 100). */
    BAD_VALUE,
    /** A host or subject name length outside what ntpd accepts. */
    NAME_LENGTH,
    /** ASSOC host name without '@' while the local host has a group (ntpd drops the packet). */
    NAME_WITHOUT_GROUP
  }

  private final Reason reason;
  private final long value;
  private final long limit;
  private final int fieldIndex;
  private final int fieldOffset;
  private final long fieldHeaderWord;
  private final long fieldAssociationId;

  /**
   * A malformed-input exception not tied to one extension field.
   *
   * @param event the XEVNT code
   * @param reason what was wrong
   * @param message human-readable detail (no secrets)
   * @param value the offending value
   * @param limit the limit it broke
   */
  public MalformedPacketException(XEvent event, Reason reason, String message, long value,
      long limit) {
    this(event, reason, message, value, limit, -1, -1, -1, -1);
  }

  /**
   * A malformed-input exception about one extension field.
   *
   * @param event the XEVNT code
   * @param reason what was wrong
   * @param message human-readable detail (no secrets)
   * @param value the offending value
   * @param limit the limit it broke
   * @param fieldIndex index of the field in the packet, or -1
   * @param fieldOffset byte offset of the field in the datagram, or -1
   * @param fieldHeaderWord the field's header word (unsigned), or -1 if unknown
   * @param fieldAssociationId the field's association ID (unsigned), or -1 if unknown
   */
  public MalformedPacketException(XEvent event, Reason reason, String message, long value,
      long limit, int fieldIndex, int fieldOffset, long fieldHeaderWord, long fieldAssociationId) {
    super(event, Objects.requireNonNull(message, "message") + " (value " + value + ", limit "
        + limit + (fieldIndex >= 0 ? ", field " + fieldIndex : "")
        + (fieldOffset >= 0 ? ", offset " + fieldOffset : "") + ")");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.value = value;
    this.limit = limit;
    this.fieldIndex = fieldIndex;
    this.fieldOffset = fieldOffset;
    this.fieldHeaderWord = fieldHeaderWord;
    this.fieldAssociationId = fieldAssociationId;
  }

  /** What was wrong. */
  public Reason reason() {
    return reason;
  }

  /** The offending value (a length, a count, a version, ...). */
  public long value() {
    return value;
  }

  /** The limit the value broke (a maximum, a minimum or the required value). */
  public long limit() {
    return limit;
  }

  /** Index of the offending extension field in the packet, or -1. */
  public int fieldIndex() {
    return fieldIndex;
  }

  /** Byte offset of the offending extension field in the datagram, or -1. */
  public int fieldOffset() {
    return fieldOffset;
  }

  /** Header word (R|E|version|opcode|length) of the offending field, unsigned, or -1. */
  public long fieldHeaderWord() {
    return fieldHeaderWord;
  }

  /** Association ID of the offending field, unsigned, or -1. */
  public long fieldAssociationId() {
    return fieldAssociationId;
  }

  /**
   * The 8-byte error response ntpd's server would send for the offending field: R and E bits, the
   * field's version and opcode echoed (ntpd answers a version-3 CERT request with {@code
   * 0xC3020008}), its association ID echoed. Empty if the exception is not about a field or the
   * field's association ID could not be read.
   */
  public Optional<ExtensionField> fieldErrorResponse() {
    if (fieldHeaderWord < 0 || fieldAssociationId < 0) {
      return Optional.empty();
    }
    return Optional.of(ExtensionField.builder().response(true).error(true)
        .version((int) ((fieldHeaderWord >>> 24) & 0x3F))
        .opcode(Opcode.valueOf(fieldOpcode())).associationId(fieldAssociationId).build());
  }

  /** Opcode of the offending field, or -1 if the exception is not about a field. */
  public int fieldOpcode() {
    return fieldHeaderWord < 0 ? -1 : (int) ((fieldHeaderWord >>> 16) & 0xFF);
  }
}
