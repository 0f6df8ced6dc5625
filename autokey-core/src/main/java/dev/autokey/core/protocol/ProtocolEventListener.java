package dev.autokey.core.protocol;

/**
 * Receives the engine's events, synchronously, on the thread that called the engine. Must not
 * call back into the engine and should not block.
 */
@FunctionalInterface
public interface ProtocolEventListener {
  /** A listener that drops everything. */
  ProtocolEventListener NONE = e -> { };

  /** Called once per event. */
  void onEvent(ProtocolEvent event);
}
