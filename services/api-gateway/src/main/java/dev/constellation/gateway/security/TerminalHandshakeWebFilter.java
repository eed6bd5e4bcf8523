package dev.constellation.gateway.security;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.terminal.ReactiveTerminalTickets;
import dev.constellation.common.terminal.TerminalOrigins;
import dev.constellation.common.terminal.TerminalTickets;
import dev.constellation.gateway.web.FilterOrder;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Refuses a terminal or language-server socket at the handshake. The proxy upgrades the browser's
 * connection before it dials workspace-service, so a refusal there would reach the browser only as
 * a close after 101; here a foreign or missing Origin gets 403 and an unknown ticket 401 before
 * anything is upgraded. The rules are libs/common's ({@link TerminalOrigins}, {@link
 * ReactiveTerminalTickets}); workspace-service still redeems the ticket (once) and checks
 * everything again.
 */
final class TerminalHandshakeWebFilter implements WebFilter, Ordered {
  private static final PathPattern TERMINAL =
      PathPatternParser.defaultInstance.parse("/api/projects/{id}/terminal");

  private final ReactiveTerminalTickets tickets;
  private final List<String> allowedOrigins;

  TerminalHandshakeWebFilter(ReactiveTerminalTickets tickets, List<String> allowedOrigins) {
    this.tickets = tickets;
    this.allowedOrigins = allowedOrigins;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!PublicPaths.isTerminalUpgrade(request)) return chain.filter(exchange);
    if (!TerminalOrigins.allowed(
        request.getHeaders().getOrigin(), request.getHeaders().getFirst("Host"), allowedOrigins)) {
      return Mono.error(
          new ApiException(
              ProblemType.FOREIGN_ORIGIN,
              "Terminals and language servers open only from the IDE's own origin."));
    }
    var path = request.getPath().pathWithinApplication();
    var match = TERMINAL.matchAndExtract(path);
    String purpose = TerminalTickets.TERMINAL;
    if (match == null) {
      match = PublicPaths.LANGUAGE_SERVER.matchAndExtract(path);
      purpose = match == null ? null : TerminalTickets.lsp(match.getUriVariables().get("language"));
    }
    String projectId = match == null ? null : match.getUriVariables().get("id");
    String ticket = request.getQueryParams().getFirst("ticket");
    if (purpose == null) {
      return Mono.error(() -> ApiException.unauthorized("The ticket is unknown, used or expired."));
    }
    return tickets
        .claim(ticket, projectId, purpose)
        .switchIfEmpty(
            Mono.error(
                () ->
                    ApiException.unauthorized(
                        "The ticket is unknown, used or expired; ask for a new one.")))
        .flatMap(holder -> chain.filter(exchange));
  }

  @Override
  public int getOrder() {
    return FilterOrder.AUTHENTICATION + 1;
  }
}
