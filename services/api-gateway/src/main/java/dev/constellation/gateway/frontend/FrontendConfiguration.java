package dev.constellation.gateway.frontend;

import dev.constellation.common.problem.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the single-page app: real files as they are, any other non-API path as index.html so that
 * client-side routes survive a reload. Hashed files under /assets are cached for a year.
 */
@Configuration(proxyBeanMethods = false)
class FrontendConfiguration {
  private static final Logger log = LoggerFactory.getLogger(FrontendConfiguration.class);

  @Bean
  RouterFunction<ServerResponse> frontend(FrontendProperties properties) {
    if (properties.dir() == null
        || properties.dir().isBlank()
        || !Files.isDirectory(Path.of(properties.dir()))) {
      log.info("no built UI at FRONTEND_DIR={}; serving the API only", properties.dir());
      return RouterFunctions.route(request -> false, request -> ServerResponse.notFound().build());
    }
    Path root = Path.of(properties.dir()).toAbsolutePath().normalize();
    log.info("serving the UI from {}", root);
    RequestPredicate uiPath = request -> isUiPath(request.path());
    return RouterFunctions.route(
        request ->
            ("GET".equals(request.method().name()) || "HEAD".equals(request.method().name()))
                && uiPath.test(request),
        request -> serve(root, request));
  }

  static boolean isUiPath(String path) {
    return !(path.equals("/api")
        || path.startsWith("/api/")
        || path.equals("/actuator")
        || path.startsWith("/actuator/")
        || path.startsWith("/v3/api-docs")
        || path.equals("/internal")
        || path.startsWith("/internal/"));
  }

  private static Mono<ServerResponse> serve(Path root, ServerRequest request) {
    Path file = resolve(root, request.path());
    if (file != null) {
      boolean hashed = request.path().startsWith("/assets/");
      CacheControl cache =
          hashed
              ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable()
              : CacheControl.noCache();
      MediaType type =
          MediaTypeFactory.getMediaType(file.getFileName().toString())
              .orElse(MediaType.APPLICATION_OCTET_STREAM);
      return ServerResponse.ok()
          .contentType(type)
          .cacheControl(cache)
          .bodyValue(new FileSystemResource(file));
    }
    if (request.path().startsWith("/assets/")) {
      // A missing hashed asset is a stale page asking for an old build, not a client-side route.
      return Mono.error(ApiException.notFound("There is no such file in this build of the UI."));
    }
    Path index = root.resolve("index.html");
    if (!Files.isRegularFile(index))
      return Mono.error(ApiException.notFound("The UI build has no index.html."));
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_HTML)
        .cacheControl(CacheControl.noCache())
        .bodyValue(new FileSystemResource(index));
  }

  /** The regular file the path names inside root, or null; never anything outside root. */
  static Path resolve(Path root, String path) {
    if (path.equals("/") || path.isEmpty()) return null;
    Path candidate = root.resolve(path.substring(1)).normalize();
    if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) return null;
    try {
      if (!candidate.toRealPath().startsWith(root.toRealPath())) return null;
    } catch (java.io.IOException e) {
      return null;
    }
    return candidate;
  }
}
