package dev.autokey.interop;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes {@link InteropTable} once the whole test plan of the run has finished (registered in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}); writes nothing
 * when no live case ran.
 */
public final class InteropTableListener implements TestExecutionListener {
  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (!InteropTable.isEmpty()) {
      InteropTable.write();
    }
  }
}
