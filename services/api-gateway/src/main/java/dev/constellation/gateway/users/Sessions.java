package dev.constellation.gateway.users;

import reactor.core.publisher.Mono;

/** Ends every signed-in session of a user (their refresh token families); implemented by auth. */
public interface Sessions {
  Mono<Void> revokeAll(String userId);
}
