package dev.constellation.common.servlet;

import dev.constellation.common.auth.AuthProperties;
import dev.constellation.common.auth.JwtCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** Request ids, token verification and problem responses for every MVC service. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(AuthProperties.class)
@Import(ProblemExceptionHandler.class)
public class ServletSupportAutoConfiguration {

  /** Paths under /api that need no token, on top of what a service adds. */
  static final List<String> PUBLIC_PATHS = List.of("/api/health", "/api/templates");

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  JwtCodec jwtCodec(AuthProperties properties, Clock clock) {
    return new JwtCodec(properties.jwtSecret(), properties.issuer(), properties.audience(), clock);
  }

  @Bean
  FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
    var registration = new FilterRegistrationBean<>(new RequestIdFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Right after the request id (so the problem carries it) and before any token is looked at. */
  @Bean
  FilterRegistrationBean<PathGuardFilter> pathGuardFilter(JsonMapper json) {
    var registration = new FilterRegistrationBean<>(new PathGuardFilter(json));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    return registration;
  }

  /**
   * Property through which a service declares extra Ant-style paths under /api that carry no bearer
   * token because they authorize otherwise (a WebSocket handshake, which browsers cannot send an
   * Authorization header with, proves itself with a one-time ticket).
   */
  public static final String PUBLIC_PATHS_PROPERTY = "constellation.auth.public-paths";

  @Bean
  FilterRegistrationBean<JwtAuthenticationFilter> jwtAuthenticationFilter(
      JwtCodec codec,
      ObjectProvider<StringRedisTemplate> redis,
      JsonMapper json,
      Environment environment) {
    List<String> publicPaths = new ArrayList<>(PUBLIC_PATHS);
    publicPaths.addAll(
        Binder.get(environment)
            .bind(PUBLIC_PATHS_PROPERTY, Bindable.listOf(String.class))
            .orElse(List.of()));
    var filter =
        new JwtAuthenticationFilter(codec, redis.getIfAvailable(), List.copyOf(publicPaths), json);
    var registration = new FilterRegistrationBean<>(filter);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  WebMvcConfigurer currentUserResolver() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CurrentUserArgumentResolver());
      }

      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RouteMdcInterceptor());
        registry.addInterceptor(new ServiceOnlyInterceptor());
      }
    };
  }
}
