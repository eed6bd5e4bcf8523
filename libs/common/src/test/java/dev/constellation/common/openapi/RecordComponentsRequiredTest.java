package dev.constellation.common.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RecordComponentsRequiredTest {

  record Body(
      String plain,
      @Nullable String nullable,
      Optional<String> optional,
      @io.swagger.v3.oas.annotations.media.Schema(
              requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED)
          String declined,
      @JsonProperty("renamed") String original) {}

  /** A fresh registry rather than ModelConverters.getInstance(), which is a JVM-wide singleton. */
  private static Schema<?> resolve(Class<?> type) {
    var converters = new ModelConverters(true);
    converters.addConverter(new RecordComponentsRequired());
    return converters.readAll(new AnnotatedType(type)).get(type.getSimpleName());
  }

  @Test
  void plainComponentsAreRequiredUnderTheirJsonNames() {
    Schema<?> body = resolve(Body.class);
    assertThat(body.getProperties())
        .containsOnlyKeys("plain", "nullable", "optional", "declined", "renamed");
    assertThat(body.getRequired()).containsExactlyInAnyOrder("plain", "renamed");
  }

  @Test
  void aNullableComponentMayBeNull() {
    Schema<?> body = resolve(Body.class);
    assertThat(body.getProperties().get("nullable").getTypes()).contains("string", "null");
    assertThat(body.getProperties().get("plain").getTypes()).doesNotContain("null");
  }
}
