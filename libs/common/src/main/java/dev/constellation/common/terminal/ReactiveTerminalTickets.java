package dev.constellation.common.terminal;

import java.time.Clock;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's view of {@link TerminalTickets}: it looks a ticket up without spending it, so
 * that a handshake with a bad one is refused before the connection is upgraded;
 * workspace-service redeems it (once) behind.
 */
public final class ReactiveTerminalTickets {
  private final ReactiveStringRedisTemplate redis;
  private final JsonMapper json;
  private final Clock clock;

  public ReactiveTerminalTickets(ReactiveStringRedisTemplate redis, JsonMapper json, Clock clock) {
    this.redis = redis;
    this.json = json;
    this.clock = clock;
  }

  /** The record of a ticket that is valid for {@code projectId}, or empty. */
  public Mono<TerminalTicket> peek(String ticket, String projectId) {
    String key = TicketKeys.of(ticket);
    if (key == null) return Mono.empty();
    return redis.opsForValue().get(key)
        .flatMap(value -> Mono.justOrEmpty(TerminalTickets.parse(json, value)))
        .filter(t -> t.validFor(projectId, clock.millis()));
  }
}
