package dev.constellation.gateway.auth;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.gateway.audit.AuditLog;
import dev.constellation.gateway.security.CurrentUser;
import dev.constellation.gateway.web.RequestContext;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Admins make invite codes; with SIGN_UP_MODE=invite-only a registration needs one. */
@RestController
@RequestMapping("/api/admin/invites")
class InvitesController {
  private final Invites invites;
  private final AuditLog audit;

  InvitesController(Invites invites, AuditLog audit) {
    this.invites = invites;
    this.audit = audit;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Mono<Invites.Invite> create(ServerWebExchange exchange) {
    AuthenticatedUser admin = CurrentUser.requireAdmin(exchange);
    return invites
        .create(admin.id())
        .flatMap(
            invite ->
                audit
                    .publish(
                        "admin.invite.create",
                        admin.id(),
                        RequestContext.requestId(exchange),
                        Map.of("expiresAt", invite.expiresAt().toString()))
                    .thenReturn(invite));
  }
}
