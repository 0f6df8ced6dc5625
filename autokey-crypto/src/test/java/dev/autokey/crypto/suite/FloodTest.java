package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.HostStatus.Flag;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Must-show 8: 10^6 requests in virtual time (100 per virtual second for 10,000 s), 99 % of them
 * expensive (COOK, IFF, SIGN from a flooder), 1 % plain time requests from a proventic client:
 * every plain request is answered and accepted, the flooder's expensive work stays within its
 * per-source share of the budget (work units, {@link WorkBudget}), the heap stays flat.
 */
class FloodTest {
  static final int TOTAL = 1_000_000;

  @Test
  void millionRequestFlood() throws Exception {
    WorkBudget budget = new WorkBudget(1, 5);
    AutokeyConfig cfg = AutokeyConfig.builder().budget(budget).build();
    Scenarios.Pair p = Scenarios.pair("IFF", cfg, 91, ProtocolEventListener.NONE);
    AutokeyHost server = p.server();
    InetAddress sa = InetAddress.getByName("10.77.0.1");
    InetAddress ca = InetAddress.getByName("10.77.0.2");
    InetAddress flooder = InetAddress.getByName("10.66.6.6");
    AttackTest.Rig rig = new AttackTest.Rig(server, p.client(), Optional.of("grp"));
    rig.until(Flag.LEAP);
    assertTrue(rig.a.allFlags());
    ServerResponder responder = server.responder();
    ServerResponder.Stats s0 = responder.stats();
    // the flooder's templates: MACs keyed with cookie 0 are computable by anyone
    var cs = p.client().cryptoSuite();
    ExtensionField[] kinds = {
        AutokeyMessages.cookRequest(1, 0, 0, cs.cookieCipher().publicKeyPkcs1(), new byte[0]),
        AutokeyMessages.identityRequest(Opcode.IFF, 1, 0, 0, new byte[20], new byte[0]),
        AutokeyMessages.signRequest(1, 0, 0, cs.hostCertificate().der(), new byte[0])};
    kinds[1] = AutokeyMessages.identityRequest(Opcode.IFF, 1, 0, 0,
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}, new byte[0]);
    byte[][] templates = new byte[3][];
    SessionKeyEngine e = SessionKeyEngine.md5();
    for (int k = 0; k < 3; k++) {
      NtpHeader h = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(k + 1)
          .build();
      byte[] d = new byte[48 + kinds[k].length() + 20];
      ByteBuffer b = ByteBuffer.wrap(d);
      h.writeTo(b);
      kinds[k].writeTo(b);
      e.computeMac(AddressPair.of(flooder, sa), 0x12345678 + k, 0, d, 0, 48 + kinds[k].length());
      templates[k] = d;
    }
    byte[] out = new byte[2120];
    NtpHeader rh = NtpHeader.builder().version(4).mode(4).stratum(1).build();
    long now = rig.now;
    long step = NtpTime.plusSeconds(0, 1) / 100; // 10 ms
    long plainAccepted = 0;
    long plainSent = 0;
    long expensiveSent = 0;
    long heapAfterWarmup = 0;
    Runtime rt = Runtime.getRuntime();
    long t0 = System.nanoTime();
    for (int i = 0; i < TOTAL; i++) {
      now += step;
      if (i == 100_000) {
        System.gc();
        heapAfterWarmup = rt.totalMemory() - rt.freeMemory();
      }
      if (i % 100 == 0) {
        rig.now = now;
        Verdict v = rig.poll();
        plainSent++;
        if (v.usableForTime()) {
          plainAccepted++;
        }
        continue;
      }
      byte[] q = templates[i % 3];
      rh.writeTo(ByteBuffer.wrap(out));
      int n = responder.respondInto(q, 0, q.length, flooder, sa, now, out, 0);
      assertTrue(n >= 48);
      expensiveSent++;
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    long heapEnd = rt.totalMemory() - rt.freeMemory();
    ServerResponder.Stats s1 = responder.stats();
    long granted = s1.expensiveAnswered() - s0.expensiveAnswered();
    long refused = s1.budgetRefused() - s0.budgetRefused();
    double units = s1.workUnits() - s0.workUnits();
    long seconds = TOTAL / 100;
    // one source: at most its share, burst/shares + perSecond/shares per second (+ one request)
    double share = budget.perSourceBurst() + budget.perSourcePerSecond() * (seconds + 1) + 1;
    System.out.printf("flood: %d requests (%d expensive, %d plain) in %d virtual s, %d ms wall;"
        + " plain accepted %d/%d; expensive answered %d (%.1f work units; the source's share"
        + " %.3f/s + burst %.3f = max %.1f), refused %d; heap after warm-up %d KiB, at end"
        + " %d KiB%n", TOTAL, expensiveSent, plainSent, seconds, ms, plainAccepted, plainSent,
        granted, units, budget.perSourcePerSecond(), budget.perSourceBurst(), share, refused,
        heapAfterWarmup / 1024, heapEnd / 1024);
    assertEquals(plainSent, plainAccepted, "every plain time request answered and accepted");
    assertTrue(units <= share, "expensive work within the source's share: " + units);
    assertTrue(units >= budget.perSourcePerSecond() * seconds / 2, "share used: " + units);
    assertEquals(expensiveSent, granted + refused);
    assertTrue(heapEnd - heapAfterWarmup < 32L * 1024 * 1024, "heap flat");
  }
}
