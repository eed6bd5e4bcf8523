package dev.constellation.project.deletion;

import dev.constellation.common.auth.JwtCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The internal deletion calls to workspace- and claude-service. Both are idempotent and answer 2xx
 * once done.
 */
@Component
class DownstreamClient {
  static final String SERVICE_NAME = "project-service";

  private final RestClient http;
  private final JwtCodec jwt;
  private final ServicesProperties services;

  DownstreamClient(JwtCodec jwt, ServicesProperties services) {
    this.jwt = jwt;
    this.services = services;
    var factory =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    factory.setReadTimeout(Duration.ofSeconds(30));
    this.http = RestClient.builder().requestFactory(factory).build();
  }

  void deleteWorkspace(String projectId) {
    delete(services.workspaceUrl(), projectId);
  }

  void deleteConversations(String projectId) {
    delete(services.claudeUrl(), projectId);
  }

  // Any status but 2xx (404 included) throws, so a service missing the endpoint keeps the deletion
  // pending rather than orphaning data.
  private void delete(URI base, String projectId) {
    http.delete()
        .uri(base.toString().replaceAll("/+$", "") + "/internal/projects/{id}", projectId)
        .header("Authorization", "Bearer " + jwt.signServiceToken(SERVICE_NAME))
        .retrieve()
        .toBodilessEntity();
  }
}
