/** The agent's Kafka edge: host commands in, inventory, progress and replies out; Avro mapped in {@code AgentMessages}. */
package io.ferry.agent.adapter.kafka;
