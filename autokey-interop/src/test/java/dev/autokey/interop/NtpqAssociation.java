package dev.autokey.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code ntpq -c associations}: {@code ind assid status conf reach auth condition
 * [last_event] cnt}.
 *
 * @param index the {@code ind} column
 * @param assid the association ID (what {@code rv} takes)
 * @param status the 16-bit status word (hex in the output)
 * @param conf {@code yes} / {@code no} (configured)
 * @param reach {@code yes} / {@code no} / {@code none}
 * @param auth {@code ok} / {@code yes} / {@code bad} / {@code none}
 * @param condition e.g. {@code sys.peer}, {@code reject}, {@code candidate}
 * @param lastEvent e.g. {@code sys_peer}, {@code mobilize}; empty when ntpq printed none
 */
public record NtpqAssociation(
    int index,
    int assid,
    int status,
    String conf,
    String reach,
    String auth,
    String condition,
    String lastEvent) {

  /** Parses the whole output of {@code ntpq -c associations} (header and rule are skipped). */
  public static List<NtpqAssociation> parseAll(String text) {
    List<NtpqAssociation> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || !f[0].matches("\\d+") || !f[1].matches("\\d+")) {
        continue;
      }
      String last = f.length >= 9 ? f[7] : "";
      rows.add(
          new NtpqAssociation(
              Integer.parseInt(f[0]),
              Integer.parseInt(f[1]),
              Integer.parseInt(f[2], 16),
              f[3],
              f[4],
              f[5],
              f[6],
              last));
    }
    return rows;
  }

  /** True when ntpq says the peer is reachable ({@code reach} column {@code yes}). */
  public boolean reachable() {
    return reach.equals("yes");
  }
}
