package dev.constellation.gateway.auth;

import dev.constellation.gateway.security.CurrentUser;
import dev.constellation.gateway.users.User;
import dev.constellation.gateway.web.ClientAddress;
import dev.constellation.gateway.web.RequestContext;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/auth")
class AuthController {
  private final AuthService auth;

  AuthController(AuthService auth) {
    this.auth = auth;
  }

  /**
   * 202 for a new and for a taken email alike: the client signs in next (see docs/api-contract.md).
   */
  @PostMapping("/register")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Mono<AuthApi.RegisterResponse> register(
      @RequestBody AuthApi.RegisterRequest request, ServerWebExchange exchange) {
    return auth.register(request, RequestContext.requestId(exchange), ClientAddress.of(exchange));
  }

  @PostMapping("/login")
  Mono<AuthApi.TokenResponse> login(
      @RequestBody AuthApi.LoginRequest request, ServerWebExchange exchange) {
    return auth.login(request, RequestContext.requestId(exchange), ClientAddress.of(exchange));
  }

  @PostMapping("/refresh")
  Mono<AuthApi.TokenResponse> refresh(
      @RequestBody AuthApi.RefreshRequest request, ServerWebExchange exchange) {
    return auth.refresh(request, RequestContext.requestId(exchange), ClientAddress.of(exchange));
  }

  @PostMapping("/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> logout(@RequestBody AuthApi.RefreshRequest request, ServerWebExchange exchange) {
    return auth.logout(request, RequestContext.requestId(exchange), ClientAddress.of(exchange));
  }

  @PostMapping("/logout-all")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> logoutEverywhere(ServerWebExchange exchange) {
    return auth.logoutEverywhere(
        CurrentUser.require(exchange),
        RequestContext.requestId(exchange),
        ClientAddress.of(exchange));
  }

  @PostMapping("/password")
  Mono<AuthApi.TokenResponse> changePassword(
      @RequestBody AuthApi.ChangePasswordRequest request, ServerWebExchange exchange) {
    return auth.changePassword(
        CurrentUser.require(exchange),
        request,
        RequestContext.requestId(exchange),
        ClientAddress.of(exchange));
  }

  @GetMapping("/me")
  Mono<AuthApi.MeResponse> me(ServerWebExchange exchange) {
    return auth.me(CurrentUser.require(exchange));
  }

  /**
   * Read as a plain map so that a wrong type ({@code "true"} for a boolean) is a 400 rather than
   * coerced; fields this gateway does not know are ignored, so an older gateway accepts a newer UI.
   */
  @PatchMapping("/me/preferences")
  Mono<User.Preferences> updatePreferences(
      @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
    return auth.updatePreferences(CurrentUser.require(exchange), body);
  }
}
