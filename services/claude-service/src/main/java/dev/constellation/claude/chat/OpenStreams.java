package dev.constellation.claude.chat;

import dev.constellation.claude.upstream.StreamControl;
import dev.constellation.common.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers this replica is streaming, by user, so that a user whose tokens were revoked (signed
 * out, password changed, disabled, deleted, role changed) stops receiving them at once: an {@code
 * error} event, the stream closed and the upstream call cancelled.
 */
@Component
class OpenStreams implements MessageListener {
  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

  /** One streamed answer; {@link #close} forgets it. */
  final class Open implements AutoCloseable {
    private final String userId;
    private final SseEmitter emitter;
    private final StreamControl control;

    private Open(String userId, SseEmitter emitter, StreamControl control) {
      this.userId = userId;
      this.emitter = emitter;
      this.control = control;
    }

    @Override
    public void close() {
      streams.remove(this);
    }
  }

  private final Set<Open> streams = ConcurrentHashMap.newKeySet();
  private final JsonMapper json;

  OpenStreams(JsonMapper json) {
    this.json = json;
  }

  Open open(String userId, SseEmitter emitter, StreamControl control) {
    Open open = new Open(userId, emitter, control);
    streams.add(open);
    return open;
  }

  /** The gateway revoked a user's tokens. */
  @Override
  public void onMessage(Message message, byte[] pattern) {
    closeUser(new String(message.getBody(), StandardCharsets.UTF_8).trim());
  }

  void closeUser(String userId) {
    for (Open open : List.copyOf(streams)) {
      if (!open.userId.equals(userId)) continue;
      open.close();
      log.info("closing an AI stream of user {}: tokens revoked", userId);
      try {
        new EventSender(open.emitter, json, open.control)
            .error(
                Problems.of(
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "Unauthorized",
                    "Your sign-in has ended (signed out, password changed or account disabled); sign in again."));
      } catch (EventSender.ClientGoneException gone) {
        // already gone: closing is all that is left
      }
      open.control.cancel();
      open.emitter.complete();
    }
  }
}
