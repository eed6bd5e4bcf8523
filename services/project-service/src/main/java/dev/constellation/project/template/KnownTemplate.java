package dev.constellation.project.template;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The id of a template the catalog knows; null passes (pair with @NotNull where required). */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownTemplateValidator.class)
public @interface KnownTemplate {
  String message() default "is not a known template; GET /api/templates lists them";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
