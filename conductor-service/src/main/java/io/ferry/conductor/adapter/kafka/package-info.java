/** The conductor's Kafka edge: inbound listeners, the migration log, effects as commands; Avro mapped in {@code ConductorMessages}. */
package io.ferry.conductor.adapter.kafka;
