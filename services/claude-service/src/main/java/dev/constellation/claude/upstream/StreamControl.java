package dev.constellation.claude.upstream;

/**
 * Lets another thread stop a streamed answer: the client went away, so the upstream request is
 * cancelled instead of running (and costing) to its end.
 */
public final class StreamControl {
  private volatile boolean cancelled;
  private volatile AutoCloseable current;
  private volatile TokenUsage usage = TokenUsage.NONE;

  public void cancel() {
    cancelled = true;
    closeCurrent();
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Tokens reported so far, also after a failure or a cancel. */
  public TokenUsage usage() {
    return usage;
  }

  void usage(TokenUsage usage) {
    this.usage = usage;
  }

  void attach(AutoCloseable stream) {
    current = stream;
    if (cancelled) {
      closeCurrent();
    }
  }

  private void closeCurrent() {
    AutoCloseable stream = current;
    if (stream != null) {
      try {
        stream.close();
      } catch (Exception ignored) {
        // Closing is best effort: the point is to drop the connection, which has happened or will.
      }
    }
  }
}
