package dev.constellation.common.servlet;

import dev.constellation.common.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Replaces the raw path that {@link RequestIdFilter} logs with the route template once a handler is
 * chosen, so that log lines group by route the way http_server_requests does.
 */
class RouteMdcInterceptor implements HandlerInterceptor {

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    if (pattern != null) {
      MDC.put(RequestIds.ROUTE_MDC_KEY, request.getMethod() + " " + pattern);
    }
    return true;
  }
}
