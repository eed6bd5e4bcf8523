package dev.constellation.common.servlet;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, echoes it to the caller, puts it on every log line, and writes one
 * access line per finished request (method, path without query, status, duration) so that every
 * request has at least one log line carrying its request id, user id and route.
 */
public class RequestIdFilter extends OncePerRequestFilter {
  private static final Logger access = LoggerFactory.getLogger("dev.constellation.access");
  private static final String ID_ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
  private static final String STARTED_ATTRIBUTE = RequestIdFilter.class.getName() + ".started";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // An async dispatch (SSE) comes back on another thread: keep the id it started with.
    String requestId =
        request.getAttribute(ID_ATTRIBUTE) instanceof String id
            ? id
            : RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
    request.setAttribute(ID_ATTRIBUTE, requestId);
    if (request.getAttribute(STARTED_ATTRIBUTE) == null)
      request.setAttribute(STARTED_ATTRIBUTE, System.nanoTime());
    MDC.put(RequestIds.MDC_KEY, requestId);
    MDC.put(RequestIds.ROUTE_MDC_KEY, request.getMethod() + " " + request.getRequestURI());
    if (request.getAttribute(JwtAuthenticationFilter.USER_ATTRIBUTE)
        instanceof AuthenticatedUser user) {
      MDC.put(RequestIds.USER_MDC_KEY, user.id());
    }
    response.setHeader(RequestIds.HEADER, requestId);
    try {
      chain.doFilter(request, response);
    } finally {
      if (!isAsyncStarted(request) && !request.getRequestURI().startsWith("/actuator")) {
        long micros = (System.nanoTime() - (long) request.getAttribute(STARTED_ATTRIBUTE)) / 1000;
        access.info(
            "{} {} {} {} ms",
            request.getMethod(),
            request.getRequestURI(),
            response.getStatus(),
            micros / 1000.0);
      }
      MDC.remove(RequestIds.MDC_KEY);
      MDC.remove(RequestIds.ROUTE_MDC_KEY);
      MDC.remove(RequestIds.USER_MDC_KEY);
    }
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }
}
