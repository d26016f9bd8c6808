/**
 * Host filters, one class per file and named as Nova names them: each answers
 * {@code test(host, request) → Pass | Reject(reason)}. {@link io.ferry.scheduler.domain.filter.Filters}
 * builds the configured chain, in order; the engine applies it with "first rejection wins".
 * {@link io.ferry.scheduler.domain.filter.LiveMigrationPrecheck} refuses requests no host could serve.
 */
package io.ferry.scheduler.domain.filter;
