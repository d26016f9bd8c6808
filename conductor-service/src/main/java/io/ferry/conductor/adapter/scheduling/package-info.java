/** The conductor's time-driven input: a periodic tick into the application (no Kafka, no domain logic). */
package io.ferry.conductor.adapter.scheduling;
