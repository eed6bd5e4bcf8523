package dev.constellation.project;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.time.Duration;

/** Test code is not analysed: the rules are about what the service ships. */
@AnalyzeClasses(packages = "dev.constellation.project", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule signsNoUserTokens =
      noClasses().should().callMethod(JwtCodec.class, "sign", AuthenticatedUser.class, Duration.class)
          .because("only the gateway's AuthService signs a user's token; a service acts as itself "
              + "(JwtCodec.signServiceToken) and asks project-service's /internal endpoints about users");
}
