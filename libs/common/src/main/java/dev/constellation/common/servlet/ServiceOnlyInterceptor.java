package dev.constellation.common.servlet;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.web.RequestPaths;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Defence in depth for internal handlers: decides on what the router matched (the handler's {@link
 * ServiceOnly} mark, or a pattern under {@code /internal}), not on the raw path, and lets only a
 * verified service token through.
 */
class ServiceOnlyInterceptor implements HandlerInterceptor {

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) return true;
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    boolean serviceOnly =
        AnnotatedElementUtils.hasAnnotation(method.getMethod(), ServiceOnly.class)
            || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), ServiceOnly.class)
            || (pattern != null && RequestPaths.isInternal(pattern.toString()));
    if (!serviceOnly) return true;
    Object caller = request.getAttribute(JwtAuthenticationFilter.USER_ATTRIBUTE);
    if (caller == null)
      throw ApiException.unauthorized(
          "Only services may call internal endpoints; send a service token.");
    if (!((AuthenticatedUser) caller).isService())
      throw ApiException.forbidden("Only services may call internal endpoints.");
    return true;
  }
}
