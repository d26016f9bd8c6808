/**
 * The scheduler's domain: value types shared by host state, request specs, filters, weighers,
 * claims and the selection engine. Plain Java only: imports nothing but {@code java.*} and this
 * package tree (no Spring, Kafka, Avro, logging, no wall clock; time is passed in or injected as a
 * {@link java.time.Clock}).
 */
package io.ferry.scheduler.domain;
