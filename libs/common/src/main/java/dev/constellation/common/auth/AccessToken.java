package dev.constellation.common.auth;

/**
 * A verified access token: the caller, plus what {@link TokenRevocations} needs to tell whether it
 * was revoked since it was signed.
 *
 * @param user the caller
 * @param version the caller's token version when the token was signed (0 when the token carries
 *     none: service tokens, and tokens signed before versions existed)
 * @param sessionId the sign-in (refresh-token family) the token belongs to, or null when the token
 *     was not issued by a sign-in
 */
public record AccessToken(AuthenticatedUser user, long version, String sessionId) {}
