package dev.constellation.claude.chat;

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
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * The answers this replica is streaming, by user, so that a user whose tokens were revoked (signed
 * out, password changed, disabled, deleted, role changed) stops receiving them at once: an {@code
 * error} event, the stream closed and the upstream call cancelled.
 */
@Component
public class OpenStreams implements MessageListener {
  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

  /** What a stream does when its user's tokens are revoked: tell the client, stop, close. */
  @FunctionalInterface
  public interface Revocation {
    void revoke(ProblemDetail problem);
  }

  /** One stream (an answer or an agent turn); {@link #close} forgets it. */
  public final class Open implements AutoCloseable {
    private final String userId;
    private final Revocation revocation;

    private Open(String userId, Revocation revocation) {
      this.userId = userId;
      this.revocation = revocation;
    }

    @Override
    public void close() {
      streams.remove(this);
    }
  }

  private final Set<Open> streams = ConcurrentHashMap.newKeySet();

  /** Registers a stream of {@code userId}; close the returned handle when the stream ends. */
  public Open open(String userId, Revocation revocation) {
    Open open = new Open(userId, revocation);
    streams.add(open);
    return open;
  }

  /** The gateway revoked a user's tokens. */
  @Override
  public void onMessage(Message message, byte[] pattern) {
    closeUser(new String(message.getBody(), StandardCharsets.UTF_8).trim());
  }

  void closeUser(String userId) {
    ProblemDetail signedOut =
        Problems.of(
            HttpStatus.UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            "Your sign-in has ended (signed out, password changed or account disabled); sign in again.");
    for (Open open : List.copyOf(streams)) {
      if (!open.userId.equals(userId)) continue;
      open.close();
      log.info("closing an AI stream of user {}: tokens revoked", userId);
      open.revocation.revoke(signedOut);
    }
  }
}
