package dev.constellation.common.resilience;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wraps the token filter and everything after it: when a check made before the controller (the
 * disabled-user or revocation lookup in Redis) cannot be answered, the request gets a fast 503
 * problem — it fails closed, it never continues unchecked. Controllers' own failures are mapped by
 * {@code ProblemExceptionHandler} the same way.
 */
public class StorageOutageFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(StorageOutageFilter.class);

  private final JsonMapper json;

  public StorageOutageFilter(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (RuntimeException | ServletException | IOException e) {
      if (!StorageOutages.isOutage(e) || response.isCommitted()) throw e;
      log.warn("storage unavailable: {}", e.toString());
      var problem = StorageOutages.problem();
      response.resetBuffer();
      response.setStatus(problem.getStatus());
      response.setHeader("Retry-After", StorageOutages.RETRY_AFTER_SECONDS);
      response.setContentType("application/problem+json");
      json.writeValue(response.getOutputStream(), problem);
    }
  }
}
