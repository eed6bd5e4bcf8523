package dev.constellation.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

class ValidationMessagesTest {
  record Form(
      @Size(max = 100) String name,
      @NotBlank String displayName,
      @Size(min = 8, max = 72) String password,
      @Positive Integer timeoutSeconds,
      @Email String email) {}

  private static final Validator VALIDATOR =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static String sentenceFor(Form form, String field) {
    var result = new BeanPropertyBindingResult(form, "form");
    new SpringValidatorAdapter(VALIDATOR).validate(form, result);
    FieldError error = result.getFieldError(field);
    assertThat(error).as(field).isNotNull();
    return ValidationMessages.sentence(error);
  }

  private static final Form BAD = new Form("x".repeat(101), " ", "short", -1, "not-an-email");

  @Test
  void sayWhatIsWrongAndWhatIsAllowed() {
    assertThat(sentenceFor(BAD, "name")).isEqualTo("The name can be at most 100 characters.");
    assertThat(sentenceFor(BAD, "displayName")).isEqualTo("The display name cannot be empty.");
    assertThat(sentenceFor(BAD, "password"))
        .isEqualTo("The password must be 8 to 72 characters long.");
    assertThat(sentenceFor(BAD, "timeoutSeconds"))
        .isEqualTo("The timeout seconds must be a number above 0.");
    assertThat(sentenceFor(BAD, "email")).isEqualTo("The email is not a valid email address.");
  }
}
