package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.filter.FilterResult;

/** One filter's verdict on one host, for explanations. */
public record FilterVerdict(String filter, FilterResult result) {
}
