package dev.constellation.claude.agent;

import java.io.IOException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one agent turn's events (contract §1) to its client, each flushed at once. A failed write
 * means the client left: {@link #gone()} turns true and later events are dropped; the turn itself
 * is then stopped by its owner.
 */
final class AgentEvents {
  private final SseEmitter emitter;
  private final JsonMapper json;
  private final Runnable onGone;
  private volatile boolean gone;

  AgentEvents(SseEmitter emitter, JsonMapper json, Runnable onGone) {
    this.emitter = emitter;
    this.json = json;
    this.onGone = onGone;
  }

  boolean gone() {
    return gone;
  }

  synchronized void send(String event, Object body) {
    if (gone) return;
    try {
      emitter.send(SseEmitter.event().name(event).data(json.writeValueAsString(body)));
    } catch (IOException | IllegalStateException e) {
      markGone();
    }
  }

  synchronized void heartbeat() {
    if (gone) return;
    try {
      emitter.send(SseEmitter.event().comment("keepalive"));
    } catch (IOException | IllegalStateException e) {
      markGone();
    }
  }

  /** Nothing more goes out, and the turn is not told the client left: it was sent away. */
  synchronized void close() {
    gone = true;
  }

  private void markGone() {
    gone = true;
    onGone.run();
  }
}
