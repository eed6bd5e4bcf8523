package dev.constellation.system.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lines of {@code docs/security-checklist.md} (e.g. {@code "A2"}, {@code "B10"}) that a test
 * proves. {@link ChecklistCoverageTest} fails while any line has no test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Checklist {
  String[] value();
}
