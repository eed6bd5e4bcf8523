package dev.constellation.project.template;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

// A constraint rather than a check in the service, so the 400 names the field like every other
// validation error.
class KnownTemplateValidator implements ConstraintValidator<KnownTemplate, String> {
  private final TemplateCatalog catalog;

  KnownTemplateValidator(TemplateCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    return value == null || catalog.find(value).isPresent();
  }
}
