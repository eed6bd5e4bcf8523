package dev.constellation.claude.chat;

import dev.constellation.common.problem.Problems;
import dev.constellation.common.web.ShutdownDrain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
public class OpenStreams extends ShutdownDrain implements MessageListener {
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
  private final Duration shutdownGrace;

  /**
   * @param shutdownTimeout how long a stopping service drains (SHUTDOWN_TIMEOUT): streams get half
   *     of it to finish by themselves, then end with an error event the chat shows ("ask again")
   */
  public OpenStreams(
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:20s}") Duration shutdownTimeout) {
    this.shutdownGrace = shutdownTimeout.dividedBy(2);
  }

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

  /**
   * At shutdown: answers and agent turns in flight get {@code shutdownGrace} to end by themselves;
   * those still running then end with a 503 error event (the upstream call and any command
   * cancelled, as on revocation) instead of being cut when the process exits.
   */
  @Override
  protected void drain() {
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    if (!streams.isEmpty())
      log.info("stopping: waiting up to {} for {} AI streams", shutdownGrace, streams.size());
    while (!streams.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ProblemDetail restarting =
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "service-unavailable",
            "Service unavailable",
            "The AI service is restarting; this answer was cut short. Ask again in a moment.");
    for (Open open : List.copyOf(streams)) {
      open.close();
      log.info("ending an AI stream of user {}: service stopping", open.userId);
      open.revocation.revoke(restarting);
    }
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
