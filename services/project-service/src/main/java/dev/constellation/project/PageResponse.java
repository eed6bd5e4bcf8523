package dev.constellation.project;

import java.util.List;
import java.util.function.Function;

/** The one shape of every paged list: {@code {items, page, size, total}}. */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

  public <R> PageResponse<R> map(Function<T, R> mapper) {
    return new PageResponse<>(items.stream().map(mapper).toList(), page, size, total);
  }
}
