package dev.autokey.core.wire;

import dev.autokey.core.XEvent;
import dev.autokey.core.wire.MalformedPacketException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ntpd checks that {@link PacketCodec} leaves to the caller because they depend on local state or
 * on the message's role, as static helpers an engine calls after decoding.
 */
public final class PacketChecks {
  private PacketChecks() {}

  /**
   * ntpd's ASSOC pre-check in {@code receive} (docs/protocol.md §1.2, §11.8), to be applied only when
   * the local host has a group name (its host name contains {@code '@'}): every version-2 ASSOC
   * field, request or response, must be in the value form with a name of at most {@value
   * ExtensionField#MAX_GROUP_PRECHECK_NAME} bytes that contains {@code '@'}; ntpd silently drops the
   * packet otherwise.
   *
   * <p>ntpd reads the name length of a short ASSOC field from beyond the field (and so drops or
   * mis-reads it); this helper rejects a short ASSOC field outright.
   *
   * @return the sender's group (text after the first {@code '@'}) for each ASSOC field, in order;
   *     empty if the packet has no ASSOC field
   * @throws MalformedPacketException LEN with {@link Reason#NAME_LENGTH} or {@link
   *     Reason#NAME_WITHOUT_GROUP} when ntpd would drop the packet
   */
  public static List<String> assocGroupPreCheck(AutokeyPacket packet)
      throws MalformedPacketException {
    List<String> groups = new ArrayList<>();
    List<ExtensionField> fields = packet.fields();
    for (int i = 0; i < fields.size(); i++) {
      ExtensionField f = fields.get(i);
      if (!f.opcode().equals(Opcode.ASSOC) || f.version() != ExtensionField.AUTOKEY_VERSION) {
        continue;
      }
      long word = f.headerWord() & 0xFFFFFFFFL;
      if (!f.isValueForm() || f.valueLength() > ExtensionField.MAX_GROUP_PRECHECK_NAME) {
        throw new MalformedPacketException(XEvent.LEN, Reason.NAME_LENGTH,
            "ASSOC name length for the group pre-check", f.valueLength(),
            ExtensionField.MAX_GROUP_PRECHECK_NAME, i, -1, word, f.associationId());
      }
      String name = new String(f.value(), StandardCharsets.ISO_8859_1);
      int at = name.indexOf('@');
      if (at < 0) {
        throw new MalformedPacketException(XEvent.LEN, Reason.NAME_WITHOUT_GROUP,
            "ASSOC name without '@' (ntpd: declined)", f.valueLength(), 0, i, -1, word,
            f.associationId());
      }
      groups.add(name.substring(at + 1));
    }
    return groups;
  }

  /**
   * Whether a client must treat a received field as a protocol error ({@code XEVNT_ERR}) in
   * ntpd's {@code crypto_recv} dispatch: version not 2, E bit set, or an opcode ntpd does not
   * implement (including NULL). docs/security.md T30.
   */
  public static boolean isProtocolError(ExtensionField field) {
    return field.version() != ExtensionField.AUTOKEY_VERSION || field.isError()
        || !field.opcode().isKnown() || field.opcode().equals(Opcode.NULL);
  }
}
