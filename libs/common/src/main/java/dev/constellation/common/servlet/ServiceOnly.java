package dev.constellation.common.servlet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler only services may call (with a service token). Checked by {@link
 * ServiceOnlyInterceptor} at the handler itself, on top of the filter's {@code /internal} rule, so
 * that a path the filter misreads still cannot reach it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ServiceOnly {}
