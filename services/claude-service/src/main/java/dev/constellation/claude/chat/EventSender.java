package dev.constellation.claude.chat;

import dev.constellation.claude.upstream.StreamControl;
import dev.constellation.claude.upstream.TokenUsage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the contract's events ({@code delta}, {@code done}, {@code error}) to one client. Each
 * send is flushed at once. A failed write means the client went away: the upstream is cancelled.
 */
final class EventSender {

  /** The client is gone; nothing more can be sent. */
  static final class ClientGoneException extends RuntimeException {
    ClientGoneException(Throwable cause) {
      super("client disconnected", cause);
    }
  }

  private final SseEmitter emitter;
  private final JsonMapper json;
  private final StreamControl control;

  EventSender(SseEmitter emitter, JsonMapper json, StreamControl control) {
    this.emitter = emitter;
    this.json = json;
    this.control = control;
  }

  void delta(String text) {
    send("delta", Map.of("text", text));
  }

  void done(String messageId, TokenUsage usage) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("inputTokens", usage.inputTokens());
    u.put("outputTokens", usage.outputTokens());
    u.put("cacheReadInputTokens", usage.cacheReadInputTokens());
    u.put("cacheCreationInputTokens", usage.cacheCreationInputTokens());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("messageId", messageId);
    body.put("usage", u);
    send("done", body);
  }

  void error(ProblemDetail problem) {
    send("error", ProblemEvents.body(problem));
  }

  /** A comment line: keeps idle proxies from closing the stream and reveals a vanished client. */
  void heartbeat() {
    try {
      emitter.send(SseEmitter.event().comment("keepalive"));
    } catch (IOException | IllegalStateException e) {
      control.cancel();
    }
  }

  private void send(String event, Object body) {
    try {
      emitter.send(SseEmitter.event().name(event).data(json.writeValueAsString(body)));
    } catch (IOException | IllegalStateException e) {
      control.cancel();
      throw new ClientGoneException(e);
    }
  }
}
