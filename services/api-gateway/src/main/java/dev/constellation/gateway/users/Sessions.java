package dev.constellation.gateway.users;

import reactor.core.publisher.Mono;

/**
 * Ends every signed-in session of a user at once: refresh-token families, access tokens at the
 * gateway and every service, open terminals and AI streams. Implemented by auth.
 */
public interface Sessions {
  Mono<Void> revokeAll(String userId);
}
