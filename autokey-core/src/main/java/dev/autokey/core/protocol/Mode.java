package dev.autokey.core.protocol;

/** The association modes of the engine (NTP modes 1, 2, 3, 5 and the broadcast client). */
public enum Mode {
  /** Unicast client ({@code server ADDR autokey}), NTP mode 3. */
  CLIENT(3),
  /** Symmetric active ({@code peer ADDR autokey}), NTP mode 1. */
  SYMMETRIC_ACTIVE(1),
  /** Symmetric passive (mobilised by an active peer), NTP mode 2. */
  SYMMETRIC_PASSIVE(2),
  /** Broadcast server ({@code broadcast ADDR autokey}), NTP mode 5. */
  BROADCAST_SERVER(5),
  /** Broadcast client ({@code broadcastclient}): client-mode volley, then mode-5 reception. */
  BROADCAST_CLIENT(3);

  private final int ntpMode;

  Mode(int ntpMode) {
    this.ntpMode = ntpMode;
  }

  /** The NTP header mode this association transmits with (3 during a broadcast volley). */
  public int ntpMode() {
    return ntpMode;
  }
}
