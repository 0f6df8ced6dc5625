package dev.autokey.net;

/** Receives usable time samples, on the transport's loop thread (keep it short). */
@FunctionalInterface
public interface SampleListener {
  /** A new usable sample. */
  void onSample(TimeSample sample);
}
