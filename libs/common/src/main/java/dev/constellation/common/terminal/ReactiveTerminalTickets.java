package dev.constellation.common.terminal;

import java.time.Clock;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's view of {@link TerminalTickets}: it checks and claims a ticket without spending it,
 * so that a handshake with a bad or already presented one is refused before the connection is
 * upgraded; workspace-service redeems it (once, GETDEL) behind.
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

  /**
   * The record of a ticket that is valid for {@code projectId} and that no earlier handshake has
   * claimed here, or empty. The gateway answers 101 before workspace-service redeems the ticket, so
   * without the claim a second handshake racing the first would be upgraded too (and only then
   * closed); the claim makes the second one a 401 before any upgrade.
   */
  public Mono<TerminalTicket> claim(String ticket, String projectId) {
    return claim(ticket, projectId, TerminalTickets.TERMINAL);
  }

  /** Like {@link #claim(String, String)}, for a ticket of {@code purpose}. */
  public Mono<TerminalTicket> claim(String ticket, String projectId, String purpose) {
    String key = TicketKeys.of(ticket);
    if (key == null) return Mono.empty();
    return redis
        .opsForValue()
        .get(key)
        .flatMap(value -> Mono.justOrEmpty(TerminalTickets.parse(json, value)))
        .filter(t -> t.validFor(projectId, purpose, clock.millis()))
        .filterWhen(
            t ->
                redis
                    .opsForValue()
                    .setIfAbsent(TicketKeys.claimOf(ticket), "1", TerminalTickets.MAX_TTL));
  }
}
