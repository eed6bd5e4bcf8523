package dev.constellation.common.servlet;

import dev.constellation.common.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/** Gives every request an id, echoes it to the caller and puts it on every log line. */
public class RequestIdFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String requestId = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
    MDC.put(RequestIds.MDC_KEY, requestId);
    MDC.put(RequestIds.ROUTE_MDC_KEY, request.getMethod() + " " + request.getRequestURI());
    response.setHeader(RequestIds.HEADER, requestId);
    try {
      chain.doFilter(request, response);
    } finally {
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
