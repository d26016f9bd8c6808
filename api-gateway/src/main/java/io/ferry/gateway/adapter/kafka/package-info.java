/** The gateway's Kafka edge: read models fed from events. */
package io.ferry.gateway.adapter.kafka;
