package dev.constellation.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

  static {
    RequestContext.registerMdcAccessors();
  }

  @Bean
  ProblemWriter problemWriter(JsonMapper json) {
    return new ProblemWriter(json);
  }

  @Bean
  GatewayExceptionHandler gatewayExceptionHandler(ProblemWriter writer) {
    return new GatewayExceptionHandler(writer);
  }

  @Bean
  RequestIdWebFilter requestIdWebFilter() {
    return new RequestIdWebFilter();
  }

  @Bean
  AccessLogWebFilter accessLogWebFilter() {
    return new AccessLogWebFilter();
  }

  @Bean
  IncomingHeadersWebFilter incomingHeadersWebFilter(WebProperties properties) {
    return new IncomingHeadersWebFilter(TrustedProxies.of(properties.trustedProxies()));
  }

  @Bean
  SecurityHeadersWebFilter securityHeadersWebFilter(
      WebProperties properties,
      @org.springframework.beans.factory.annotation.Value(
              "${gateway.preview.domain:preview.localhost}")
          String previewDomain) {
    String csp = properties.contentSecurityPolicy();
    // The IDE embeds port previews, which live on their own origins under the preview domain.
    if (!csp.contains("frame-src")) {
      csp +=
          "; frame-src 'self' http://*." + previewDomain + ":* https://*." + previewDomain + ":*";
    }
    return new SecurityHeadersWebFilter(csp);
  }

  @Bean
  PathGuardWebFilter pathGuardWebFilter() {
    return new PathGuardWebFilter();
  }

  @Bean
  BodySizeWebFilter bodySizeWebFilter(WebProperties properties) {
    return new BodySizeWebFilter(properties.bodyLimits());
  }

  /**
   * Cross-origin calls only from the configured origins; with none configured, browsers get no CORS
   * grant.
   */
  @Bean
  WebFilter corsWebFilter(WebProperties properties) {
    var source = new UrlBasedCorsConfigurationSource();
    if (!properties.corsAllowedOrigins().isEmpty()) {
      var cors = new CorsConfiguration();
      cors.setAllowedOrigins(properties.corsAllowedOrigins());
      cors.addAllowedMethod("*");
      cors.addAllowedHeader("*");
      cors.addExposedHeader("X-Request-Id");
      cors.addExposedHeader("ETag");
      cors.addExposedHeader("Retry-After");
      // What the editor learns about a file it opens (binary or text, and its media type).
      cors.addExposedHeader("X-File-Binary");
      cors.addExposedHeader("X-File-Media-Type");
      cors.setAllowCredentials(true);
      cors.setMaxAge(3600L);
      source.registerCorsConfiguration("/api/**", cors);
    }
    CorsWebFilter delegate = new CorsWebFilter(source);
    return new OrderedWebFilter(delegate, FilterOrder.CORS);
  }

  private record OrderedWebFilter(WebFilter delegate, int order) implements WebFilter, Ordered {
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
      return delegate.filter(exchange, chain);
    }

    @Override
    public int getOrder() {
      return order;
    }
  }
}
