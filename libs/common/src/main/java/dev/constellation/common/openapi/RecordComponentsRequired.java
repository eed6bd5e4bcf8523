package dev.constellation.common.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records are the API's bodies, and a component is never null unless it says so. Marking them
 * required (and the {@code @Nullable} ones nullable) lets generated clients trust the rest, without
 * an annotation on every component.
 */
final class RecordComponentsRequired implements ModelConverter {

  @Override
  public Schema<?> resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    Schema<?> schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    if (schema == null || type.getType() == null) return schema;
    Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
    if (raw == null || !raw.isRecord()) return schema;
    Schema<?> model = schema;
    if (schema.get$ref() != null) {
      model =
          context
              .getDefinedModels()
              .get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
    }
    if (model == null || model.getProperties() == null) return schema;
    for (RecordComponent component : raw.getRecordComponents()) {
      String name = jsonName(component);
      Schema<?> property = model.getProperties().get(name);
      if (property == null) continue;
      if (isNullable(component)) {
        model.getProperties().put(name, nullable(property));
      } else if (!declinesRequired(component)
          && (model.getRequired() == null || !model.getRequired().contains(name))) {
        model.addRequiredItem(name);
      }
    }
    return schema;
  }

  private static String jsonName(RecordComponent component) {
    JsonProperty renamed = declared(component, JsonProperty.class);
    return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
  }

  /**
   * Any annotation named Nullable counts (JSpecify's sits on the type, older ones on the component
   * or its field).
   */
  static boolean isNullable(RecordComponent component) {
    return component.getType() == Optional.class
        || Stream.of(
                component.getAnnotations(),
                field(component).map(Field::getAnnotations).orElse(new Annotation[0]),
                component.getAnnotatedType().getAnnotations())
            .flatMap(Stream::of)
            .map(Annotation::annotationType)
            .anyMatch(a -> a.getSimpleName().equals("Nullable"));
  }

  private static boolean declinesRequired(RecordComponent component) {
    var schema = declared(component, io.swagger.v3.oas.annotations.media.Schema.class);
    return schema != null
        && schema.requiredMode()
            == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED;
  }

  /**
   * javac keeps an annotation on the record component only if its target names RECORD_COMPONENT;
   * {@code @Schema}, {@code @JsonProperty} and most older {@code @Nullable}s don't, and land on the
   * backing field instead.
   */
  private static <A extends Annotation> A declared(RecordComponent component, Class<A> type) {
    A onComponent = component.getAnnotation(type);
    return onComponent != null
        ? onComponent
        : field(component).map(f -> f.getAnnotation(type)).orElse(null);
  }

  private static Optional<Field> field(RecordComponent component) {
    try {
      return Optional.of(component.getDeclaringRecord().getDeclaredField(component.getName()));
    } catch (NoSuchFieldException e) {
      return Optional.empty();
    }
  }

  /** OpenAPI 3.1 spells "or null" as a type list; a reference has to be wrapped to get one. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema<?> nullable(Schema<?> property) {
    if (property.get$ref() != null) {
      return new Schema().anyOf(List.of(property, ProblemResponses.typed("null")));
    }
    if (property.getTypes() != null && !property.getTypes().isEmpty()) {
      property.addType("null");
    } else if (property.getType() != null) {
      property.addType(property.getType());
      property.addType("null");
    }
    return property;
  }
}
