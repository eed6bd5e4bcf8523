package dev.constellation.gateway.users;

import dev.constellation.common.problem.ApiException;
import dev.constellation.gateway.security.CurrentUser;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lets members find each other: project membership is kept by user id, while people know each other
 * by email. Only what a teammate needs is shown, never roles or account state.
 */
@RestController
@RequestMapping("/api/users")
class UserDirectoryController {
  private static final int MAX_IDS = 100;

  record UserSummary(String id, String email, String displayName) {
    static UserSummary of(User user) {
      return new UserSummary(user.id(), user.email(), user.displayName());
    }
  }

  private final UserService users;

  UserDirectoryController(UserService users) {
    this.users = users;
  }

  @GetMapping("/lookup")
  Mono<UserSummary> lookup(@RequestParam String email, ServerWebExchange exchange) {
    CurrentUser.require(exchange);
    return users
        .findByEmail(email)
        .filter(user -> !user.disabled())
        .map(UserSummary::of)
        .switchIfEmpty(
            Mono.error(() -> ApiException.notFound("No active account uses " + email + ".")));
  }

  @GetMapping
  Flux<UserSummary> byIds(@RequestParam String ids, ServerWebExchange exchange) {
    CurrentUser.require(exchange);
    List<String> wanted =
        Arrays.stream(ids.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    if (wanted.size() > MAX_IDS)
      throw ApiException.validation("ids", "Ask for at most " + MAX_IDS + " users at once.");
    return Flux.fromIterable(wanted).concatMap(users::findById).map(UserSummary::of);
  }
}
