package dev.constellation.common.openapi;

import dev.constellation.common.auth.AuthenticatedUser;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes every service's springdoc document the same way, so the UI's generated types are exact:
 * required record components, one problem schema, and no framework types in the schemas.
 */
@AutoConfiguration
@ConditionalOnClass(SpringDocUtils.class)
public class OpenApiAutoConfiguration {

  static {
    // The verified caller comes from the token, not from the request.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedUser.class);
  }

  @Bean
  RecordComponentsRequired recordComponentsRequired() {
    return new RecordComponentsRequired();
  }

  @Bean
  ProblemResponses problemResponses() {
    return new ProblemResponses();
  }

  /** Streamed MVC bodies are text or bytes on the wire, not the Java objects that write them. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.servlet.mvc.method.annotation.SseEmitter")
  static class Streams {
    static {
      SpringDocUtils.getConfig()
          .replaceWithSchema(
              org.springframework.web.servlet.mvc.method.annotation.SseEmitter.class,
              ProblemResponses.typed("string").description("text/event-stream"))
          .replaceWithSchema(
              org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody.class,
              ProblemResponses.typed("string").format("binary"));
    }
  }
}
