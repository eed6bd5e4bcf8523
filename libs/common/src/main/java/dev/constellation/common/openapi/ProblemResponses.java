package dev.constellation.common.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * Every endpoint of every service fails with the same RFC 9457 body ({@code Problems}), but the
 * handlers that write it are invisible to springdoc; this documents it once as each operation's
 * default response.
 */
final class ProblemResponses implements GlobalOpenApiCustomizer {
  static final String SCHEMA = "ProblemDetail";

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void customise(OpenAPI openApi) {
    if (openApi.getPaths() == null || openApi.getPaths().isEmpty()) return;
    Schema problem =
        typed("object")
            .description(
                "RFC 9457 problem details; requestId matches the X-Request-Id header, field names a rejected field.")
            .addProperty("type", string().format("uri"))
            .addProperty("title", string())
            .addProperty("status", typed("integer").format("int32"))
            .addProperty("detail", string())
            .addProperty("instance", string().format("uri"))
            .addProperty("requestId", string())
            .addProperty("field", string())
            .required(List.of("type", "title", "status"));
    openApi.schema(SCHEMA, problem);
    ApiResponse failure =
        new ApiResponse()
            .description("The request failed; the body says why.")
            .content(
                new Content()
                    .addMediaType(
                        org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType()
                            .schema(new Schema().$ref("#/components/schemas/" + SCHEMA))));
    for (PathItem path : openApi.getPaths().values()) {
      path.readOperations()
          .forEach(
              operation -> {
                if (operation.getResponses() != null
                    && !operation.getResponses().containsKey("default")) {
                  operation.getResponses().addApiResponse("default", failure);
                }
              });
    }
  }

  @SuppressWarnings("rawtypes")
  private static Schema string() {
    return typed("string");
  }

  /** OpenAPI 3.1 documents carry a set of types; springdoc writes that, not the 3.0 single type. */
  @SuppressWarnings("rawtypes")
  static Schema typed(String type) {
    Schema schema = new Schema();
    schema.addType(type);
    return schema;
  }
}
