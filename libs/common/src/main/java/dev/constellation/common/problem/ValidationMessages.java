package dev.constellation.common.problem;

import jakarta.validation.ConstraintViolation;
import java.util.Map;
import org.springframework.validation.FieldError;

/**
 * Turns a bean-validation failure into a sentence a person can act on ("The name can be at most 100
 * characters.") instead of the validator's "name size must be between 0 and 100".
 */
public final class ValidationMessages {
  private ValidationMessages() {}

  public static String sentence(FieldError error) {
    String field = words(error.getField());
    Map<String, Object> attributes = Map.of();
    try {
      ConstraintViolation<?> violation = error.unwrap(ConstraintViolation.class);
      attributes = violation.getConstraintDescriptor().getAttributes();
    } catch (IllegalArgumentException notBeanValidation) {
      // a binding error (wrong type): the validator's own words follow below
    }
    String code = error.getCode() == null ? "" : error.getCode();
    return switch (code) {
      case "Size" -> size(field, number(attributes.get("min")), number(attributes.get("max")));
      case "NotBlank", "NotEmpty" -> "The " + field + " cannot be empty.";
      case "NotNull" -> "The " + field + " is required.";
      case "Positive" -> "The " + field + " must be a number above 0.";
      case "PositiveOrZero" -> "The " + field + " cannot be negative.";
      case "Max" -> "The " + field + " can be at most " + attributes.get("value") + ".";
      case "Min" -> "The " + field + " must be at least " + attributes.get("value") + ".";
      case "Email" -> "The " + field + " is not a valid email address.";
      default ->
          "The "
              + field
              + " is not valid"
              + (error.getDefaultMessage() == null ? "." : ": " + error.getDefaultMessage() + ".");
    };
  }

  private static String size(String field, long min, long max) {
    if (min > 1 && max < Integer.MAX_VALUE)
      return "The " + field + " must be " + min + " to " + max + " characters long.";
    if (min == 1 && max == Integer.MAX_VALUE) return "The " + field + " cannot be empty.";
    if (min > 1) return "The " + field + " must be at least " + min + " characters long.";
    if (min == 1)
      return "The " + field + " cannot be empty and can be at most " + max + " characters.";
    return "The " + field + " can be at most " + max + " characters.";
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** "displayName" and "display_name" read as "display name"; a nested "a.b" as its last name. */
  static String words(String field) {
    String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
    return last.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase();
  }
}
