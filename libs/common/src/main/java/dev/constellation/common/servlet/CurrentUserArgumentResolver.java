package dev.constellation.common.servlet;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

class CurrentUserArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.hasParameterAnnotation(CurrentUser.class)
        && (parameter.getParameterType().equals(AuthenticatedUser.class)
            || parameter.getParameterType().equals(Caller.class));
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Object user =
        webRequest.getAttribute(
            JwtAuthenticationFilter.USER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (user == null) {
      throw ApiException.unauthorized("Sign in first.");
    }
    if (parameter.getParameterType().equals(Caller.class)) {
      HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
      return new Caller((AuthenticatedUser) user, JwtAuthenticationFilter.bearerToken(request));
    }
    return user;
  }
}
