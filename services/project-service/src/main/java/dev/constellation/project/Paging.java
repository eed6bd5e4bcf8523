package dev.constellation.project;

import dev.constellation.common.problem.ApiException;

/** A validated page request; pages count from 0 as the contract says. */
public record Paging(int page, int size) {
  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;

  public static Paging of(Integer page, Integer size) {
    int p = page == null ? 0 : page;
    int s = size == null ? DEFAULT_SIZE : size;
    if (p < 0) throw ApiException.validation("page", "page must be 0 or more.");
    if (s < 1 || s > MAX_SIZE)
      throw ApiException.validation("size", "size must be between 1 and " + MAX_SIZE + ".");
    return new Paging(p, s);
  }

  public long offset() {
    return (long) page * size;
  }
}
