package dev.constellation.claude.config;

import dev.constellation.common.problem.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A 400 whose problem body names the offending field in a {@code field} property, as the contract
 * asks.
 */
public class InvalidFieldException extends ApiException {
  private final String field;

  public InvalidFieldException(String field, String detail) {
    super(HttpStatus.BAD_REQUEST, "validation", "Invalid field '" + field + "'", detail);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
