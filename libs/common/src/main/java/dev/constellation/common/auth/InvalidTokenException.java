package dev.constellation.common.auth;

/** The token is missing, malformed, forged, expired or meant for someone else. */
public class InvalidTokenException extends RuntimeException {
  public InvalidTokenException(String message) {
    super(message);
  }
}
