package dev.constellation.common.servlet;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import dev.constellation.common.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before anything else looks at it, a request whose path the router could read differently
 * from a filter ({@link RequestPaths}): a service reachable without the gateway holds itself to the
 * gateway's path rule.
 */
class PathGuardFilter extends OncePerRequestFilter {
  private final JsonMapper json;

  PathGuardFilter(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String ambiguity = RequestPaths.ambiguity(request.getRequestURI());
    if (ambiguity == null) {
      chain.doFilter(request, response);
      return;
    }
    var problem =
        Problems.of(
            new ApiException(
                ProblemType.AMBIGUOUS_PATH,
                "The path contains " + ambiguity + "; send it in plain form."));
    response.setStatus(problem.getStatus());
    response.setContentType("application/problem+json");
    json.writeValue(response.getOutputStream(), problem);
  }
}
