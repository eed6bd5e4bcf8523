package dev.constellation.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.time.Duration;

/** Test code is not analysed: the rules are about what the gateway ships. */
@AnalyzeClasses(
    packages = "dev.constellation.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyAuthServiceSignsUserTokens =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("dev.constellation.gateway.auth.AuthService")
          .should()
          .callMethod(JwtCodec.class, "sign", AuthenticatedUser.class, Duration.class)
          .because(
              "a user's token is minted at sign-in and refresh only; anything else that needs to act "
                  + "for a user asks with a service token (no service ever signs a token of a user's)");
}
