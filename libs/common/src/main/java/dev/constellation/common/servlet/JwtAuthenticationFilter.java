package dev.constellation.common.servlet;

import dev.constellation.common.auth.AccessToken;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.InvalidTokenException;
import dev.constellation.common.auth.JwtCodec;
import dev.constellation.common.auth.TokenRevocations;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.problem.Problems;
import dev.constellation.common.web.RequestIds;
import dev.constellation.common.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ProblemDetail;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the bearer token of every {@code /api/**} request, and of every {@code /internal/**}
 * request, which moreover only services may make (the gateway never routes it). A service never
 * trusts an identity header: only a token it can verify itself counts.
 */
public class JwtAuthenticationFilter extends OncePerRequestFilter {
  public static final String USER_ATTRIBUTE = AuthenticatedUser.class.getName();

  private final JwtCodec codec;
  private final StringRedisTemplate redis;
  private final List<String> publicPaths;
  private final JsonMapper json;
  private final AntPathMatcher matcher = new AntPathMatcher();

  public JwtAuthenticationFilter(
      JwtCodec codec, StringRedisTemplate redis, List<String> publicPaths, JsonMapper json) {
    this.json = json;
    this.codec = codec;
    this.redis = redis;
    this.publicPaths = publicPaths;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // PathGuardFilter has refused every path that decodes ambiguously; decide on what routing sees.
    String path = RequestPaths.normalized(request.getRequestURI());
    if (RequestPaths.isInternal(path)) return false;
    return !RequestPaths.isApi(path) || publicPaths.stream().anyMatch(p -> matcher.match(p, path));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AccessToken token;
    try {
      token = codec.verifyAccess(bearerToken(request));
    } catch (InvalidTokenException e) {
      reject(
          response,
          "The access token is missing or invalid (" + e.getMessage() + "); sign in again.");
      return;
    }
    AuthenticatedUser user = token.user();
    if (RequestPaths.isInternal(RequestPaths.normalized(request.getRequestURI()))
        && !user.isService()) {
      write(
          response,
          Problems.of(ProblemType.FORBIDDEN, "Only services may call internal endpoints."));
      return;
    }
    try {
      TokenRevocations.check(token, redis);
    } catch (ApiException e) {
      // 401 with WWW-Authenticate, or 503 with Retry-After: the headers travel with the exception.
      e.headers()
          .forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
      write(response, Problems.of(e));
      return;
    }
    request.setAttribute(USER_ATTRIBUTE, user);
    MDC.put(RequestIds.USER_MDC_KEY, user.id());
    chain.doFilter(request, response);
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  public static String bearerToken(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return null;
  }

  private void reject(HttpServletResponse response, String detail) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer");
    write(response, Problems.of(ProblemType.UNAUTHORIZED, detail));
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    response.setStatus(problem.getStatus());
    response.setContentType("application/problem+json");
    json.writeValue(response.getOutputStream(), problem);
  }
}
