package dev.autokey.crypto.internal;

import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/** OpenSSL's {@code X509_NAME_oneline} text form ({@code /CN=a/O=b}) and ntpd's CN rule. */
public final class X509Names {
  private X509Names() {}

  private static final Map<String, String> SHORT_NAMES =
      Map.ofEntries(
          Map.entry("2.5.4.3", "CN"),
          Map.entry("2.5.4.6", "C"),
          Map.entry("2.5.4.7", "L"),
          Map.entry("2.5.4.8", "ST"),
          Map.entry("2.5.4.9", "street"),
          Map.entry("2.5.4.10", "O"),
          Map.entry("2.5.4.11", "OU"),
          Map.entry("2.5.4.4", "SN"),
          Map.entry("2.5.4.5", "serialNumber"),
          Map.entry("2.5.4.12", "title"),
          Map.entry("2.5.4.17", "postalCode"),
          Map.entry("2.5.4.42", "GN"),
          Map.entry("2.5.4.43", "initials"),
          Map.entry("2.5.4.46", "dnQualifier"),
          Map.entry("2.5.4.65", "pseudonym"),
          Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
          Map.entry("0.9.2342.19200300.100.1.25", "DC"),
          Map.entry("0.9.2342.19200300.100.1.1", "UID"));

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** The one-line form: every attribute as {@code /sn=value}, bytes outside 0x20..0x7e as \xHH. */
  public static String oneline(X500Name name) {
    StringBuilder sb = new StringBuilder();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String oid = atv.getType().getId();
        sb.append('/').append(SHORT_NAMES.getOrDefault(oid, oid)).append('=');
        byte[] raw = rawContent(atv.getValue());
        for (byte x : raw) {
          int c = x & 0xff;
          if (c < ' ' || c > '~') {
            sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 15]);
          } else {
            sb.append((char) c);
          }
        }
      }
    }
    if (sb.length() == 0) {
      return "NO X509_NAME";
    }
    return sb.toString();
  }

  private static byte[] rawContent(ASN1Encodable v) {
    try {
      byte[] enc = v.toASN1Primitive().getEncoded();
      Der.Tlv t = Der.read(enc, 0, enc.length);
      return Der.content(enc, t);
    } catch (java.io.IOException | IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** ntpd's subject/issuer string: text after the first {@code CN=} of the one-line form, or null. */
  public static String ntpdName(String oneline) {
    int i = oneline.indexOf("CN=");
    return i < 0 ? null : oneline.substring(i + 3);
  }
}
