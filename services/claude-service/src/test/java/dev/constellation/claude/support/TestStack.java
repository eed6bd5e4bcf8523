package dev.constellation.claude.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shared context: every IT class but one extends this, so they share one Spring context. */
public abstract class TestStack extends ServiceClient {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    register(registry, true);
  }
}
