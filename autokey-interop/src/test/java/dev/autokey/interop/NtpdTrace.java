package dev.autokey.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an ntpd debug trace ({@code ntpd -D 2}, ntpd-stdout.txt) says about the packets of one
 * peer address: how many it received, with which authentication result, how many it dropped with
 * the Bug-3454 key-ID check ({@code receive: drop: Wanted keyID W, got G from ADDR}), and whether
 * each wanted key ID W was the key ID of ntpd's own last transmission to that peer.
 *
 * @param received packets from the peer ({@code receive: at T LOCAL<-PEER ippeerlimit ...})
 * @param authOk of those, {@code auth 1} (AUTH_OK: ntpd verified the MAC)
 * @param wantedDrops the {@code Wanted keyID} lines for the peer, in order
 * @param wantedIsOwnLastKey drops whose wanted key ID equals ntpd's last {@code peer_xmit} key ID
 *     to the peer
 * @param ownTransmissions {@code peer_xmit} lines to the peer
 */
public record NtpdTrace(int received, int authOk, List<String> wantedDrops,
    int wantedIsOwnLastKey, int ownTransmissions) {
  private static final Pattern WANTED =
      Pattern.compile("receive: drop: Wanted keyID (-?\\d+), got (-?\\d+) from (\\S+)");
  private static final Pattern XMIT =
      Pattern.compile("peer_xmit: at \\d+ \\S+->(\\S+) mode \\d+ keyid ([0-9a-f]+) ");
  private static final Pattern RECEIVED =
      Pattern.compile("receive: at \\d+ \\S+<-(\\S+) ippeerlimit ");
  private static final Pattern PROCESSED =
      Pattern.compile("receive: at \\d+ \\S+<-(\\S+) mode \\d+/\\S+ keyid [0-9a-f]+ len \\d+ auth (\\d+) ");

  /** Reads the trace for packets from and to {@code peer} (its literal address). */
  public static NtpdTrace of(String trace, String peer) {
    int received = 0;
    int authOk = 0;
    int own = 0;
    int matching = 0;
    long lastOwnKey = -1;
    List<String> drops = new ArrayList<>();
    for (String line : trace.split("\n")) {
      Matcher m = XMIT.matcher(line);
      if (m.find() && m.group(1).equals(peer)) {
        lastOwnKey = Long.parseLong(m.group(2), 16);
        own++;
        continue;
      }
      m = RECEIVED.matcher(line);
      if (m.find() && m.group(1).equals(peer)) {
        received++;
        continue;
      }
      m = PROCESSED.matcher(line);
      if (m.find() && m.group(1).equals(peer)) {
        if (m.group(2).equals("1")) {
          authOk++;
        }
        continue;
      }
      m = WANTED.matcher(line);
      if (m.find() && m.group(3).equals(peer)) {
        drops.add(m.group());
        if ((Long.parseLong(m.group(1)) & 0xFFFFFFFFL) == lastOwnKey) {
          matching++;
        }
      }
    }
    return new NtpdTrace(received, authOk, List.copyOf(drops), matching, own);
  }
}
