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

  /** Paths whose first segment, however spelled, belongs to the API, never to the UI. */
  private static final java.util.Set<String> SERVER_SEGMENTS =
      java.util.Set.of("api", "actuator", "internal", "v3");

  static boolean isUiPath(String path) {
    return !SERVER_SEGMENTS.contains(firstSegment(path));
  }

  /**
   * The first segment as a router might read it: percent-decoded, without a {@code ;} parameter,
   * blanks or case, so that {@code /internal%20/…} or {@code /API;x/…} is not served the UI as a
   * client-side route.
   */
  private static String firstSegment(String path) {
    String rest = path.startsWith("/") ? path.substring(1) : path;
    int slash = rest.indexOf('/');
    String segment = slash < 0 ? rest : rest.substring(0, slash);
    try {
      segment =
          java.net.URLDecoder.decode(
              segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      // Left as written: not a server segment, and the static lookup finds no such file.
    }
    int parameter = segment.indexOf(';');
    if (parameter >= 0) segment = segment.substring(0, parameter);
    return segment.strip().toLowerCase(java.util.Locale.ROOT);
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
