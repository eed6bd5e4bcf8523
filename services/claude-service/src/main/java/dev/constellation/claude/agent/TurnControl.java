package dev.constellation.claude.agent;

import dev.constellation.claude.upstream.StreamControl;

/**
 * Lets a Stop (from any replica, through {@link AgentSignals}) end a running turn: the model call's
 * stream is closed, a running command's connection is closed (which kills the command), and an
 * approval being waited for ends.
 */
final class TurnControl {
  final String turnId;
  final String conversationId;
  final String userId;
  private volatile boolean stopped;
  private volatile StreamControl model;
  private volatile AutoCloseable exec;
  private volatile Runnable onStop;

  TurnControl(String turnId, String conversationId, String userId) {
    this.turnId = turnId;
    this.conversationId = conversationId;
    this.userId = userId;
  }

  boolean stopped() {
    return stopped;
  }

  void stop() {
    stopped = true;
    StreamControl m = model;
    if (m != null) m.cancel();
    close(exec);
    Runnable r = onStop;
    if (r != null) r.run();
  }

  void model(StreamControl control) {
    this.model = control;
    if (stopped) control.cancel();
  }

  void exec(AutoCloseable connection) {
    this.exec = connection;
    if (stopped) close(connection);
  }

  void onStop(Runnable r) {
    this.onStop = r;
    if (stopped && r != null) r.run();
  }

  private static void close(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // Dropping the connection is what matters; it is gone either way.
    }
  }
}
