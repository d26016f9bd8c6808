/**
 * The scheduler's Kafka edge: {@link io.ferry.scheduler.adapter.kafka.SchedulerListener} answers
 * {@code SelectDestination} requests and feeds host reports, migration ends and the claims log to the app layer;
 * {@link io.ferry.scheduler.adapter.kafka.KafkaClaimJournal} keeps every claim on the compacted
 * {@code ferry.scheduler.claims}; {@link io.ferry.scheduler.adapter.kafka.SchedulerStartup} rebuilds the claims from it
 * and lets requests in only once the host and migration state has been read up to where it stood at start;
 * {@link io.ferry.scheduler.adapter.kafka.SchedulerMessages} is the one mapper between Avro and the domain.
 */
package io.ferry.scheduler.adapter.kafka;
