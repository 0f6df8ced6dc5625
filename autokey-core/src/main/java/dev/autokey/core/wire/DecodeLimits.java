package dev.autokey.core.wire;

/**
 * Size limits the {@link PacketCodec} decoder enforces. The defaults are what ntpd 4.2.8p15
 * accepts (docs/protocol.md §1.4); a caller may lower any of them, never raise one above the hard
 * maximum. Immutable.
 */
public final class DecodeLimits {
  /**
   * Largest datagram ntpd reads ({@code sizeof(struct pkt)} = 48 + 2048 + 24): {@value}. Longer
   * datagrams are rejected before any field is looked at (docs/security.md T39).
   */
  public static final int MAX_DATAGRAM_LENGTH = 2120;
  /** Largest extension-field area ntpd ever sends ({@code NTP_MAXEXTEN}): {@value}. */
  public static final int NTPD_MAX_EXTENSION_AREA_SENT = 2048;
  /** Largest field that fits in a {@value #MAX_DATAGRAM_LENGTH}-byte datagram: {@value}. */
  public static final int MAX_FIELD_LENGTH = MAX_DATAGRAM_LENGTH - NtpHeader.LENGTH;
  /** Largest value length ntpd accepts ({@code MAX_VALLEN}): {@value}. */
  public static final int MAX_VALUE_LENGTH = ExtensionField.MAX_VALLEN;
  /** Largest signature length ntpd accepts ({@code MAX_VALLEN}): {@value}. */
  public static final int MAX_SIGNATURE_LENGTH = ExtensionField.MAX_VALLEN;
  /** Most 8-byte fields a {@value #MAX_DATAGRAM_LENGTH}-byte datagram can hold: {@value}. */
  public static final int MAX_FIELDS = MAX_FIELD_LENGTH / ExtensionField.HEADER_LENGTH;

  private static final DecodeLimits NTPD = new DecodeLimits(MAX_DATAGRAM_LENGTH, MAX_FIELD_LENGTH,
      MAX_VALUE_LENGTH, MAX_SIGNATURE_LENGTH, MAX_FIELDS);

  private final int maxDatagramLength;
  private final int maxFieldLength;
  private final int maxValueLength;
  private final int maxSignatureLength;
  private final int maxFields;

  private DecodeLimits(int maxDatagramLength, int maxFieldLength, int maxValueLength,
      int maxSignatureLength, int maxFields) {
    this.maxDatagramLength = maxDatagramLength;
    this.maxFieldLength = maxFieldLength;
    this.maxValueLength = maxValueLength;
    this.maxSignatureLength = maxSignatureLength;
    this.maxFields = maxFields;
  }

  /** ntpd 4.2.8p15's limits (the hard maxima). */
  public static DecodeLimits ntpd() {
    return NTPD;
  }

  /** A builder starting from {@link #ntpd()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Largest datagram accepted. */
  public int maxDatagramLength() {
    return maxDatagramLength;
  }

  /** Largest extension field accepted (its length word). */
  public int maxFieldLength() {
    return maxFieldLength;
  }

  /** Largest value length accepted. */
  public int maxValueLength() {
    return maxValueLength;
  }

  /** Largest signature length accepted. */
  public int maxSignatureLength() {
    return maxSignatureLength;
  }

  /** Most extension fields accepted in one packet. */
  public int maxFields() {
    return maxFields;
  }

  @Override
  public String toString() {
    return "DecodeLimits[datagram " + maxDatagramLength + ", field " + maxFieldLength + ", value "
        + maxValueLength + ", signature " + maxSignatureLength + ", fields " + maxFields + "]";
  }

  /** Builder; each setter rejects values above the hard maximum or below the useful minimum. */
  public static final class Builder {
    private int maxDatagramLength = MAX_DATAGRAM_LENGTH;
    private int maxFieldLength = MAX_FIELD_LENGTH;
    private int maxValueLength = MAX_VALUE_LENGTH;
    private int maxSignatureLength = MAX_SIGNATURE_LENGTH;
    private int maxFields = MAX_FIELDS;

    private Builder() {}

    private static int check(String what, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + v);
      }
      return v;
    }

    /** Largest datagram, {@value NtpHeader#LENGTH}..{@value #MAX_DATAGRAM_LENGTH}. */
    public Builder maxDatagramLength(int n) {
      maxDatagramLength = check("max datagram length", n, NtpHeader.LENGTH, MAX_DATAGRAM_LENGTH);
      return this;
    }

    /** Largest field, 8..{@value #MAX_FIELD_LENGTH}. */
    public Builder maxFieldLength(int n) {
      maxFieldLength = check("max field length", n, ExtensionField.HEADER_LENGTH,
          MAX_FIELD_LENGTH);
      return this;
    }

    /** Largest value length, 1..{@value #MAX_VALUE_LENGTH}. */
    public Builder maxValueLength(int n) {
      maxValueLength = check("max value length", n, 1, MAX_VALUE_LENGTH);
      return this;
    }

    /** Largest signature length, 0..{@value #MAX_SIGNATURE_LENGTH}. */
    public Builder maxSignatureLength(int n) {
      maxSignatureLength = check("max signature length", n, 0, MAX_SIGNATURE_LENGTH);
      return this;
    }

    /** Most fields per packet, 0..{@value #MAX_FIELDS}. */
    public Builder maxFields(int n) {
      maxFields = check("max fields", n, 0, MAX_FIELDS);
      return this;
    }

    /** The limits. */
    public DecodeLimits build() {
      return new DecodeLimits(maxDatagramLength, maxFieldLength, maxValueLength,
          maxSignatureLength, maxFields);
    }
  }
}
