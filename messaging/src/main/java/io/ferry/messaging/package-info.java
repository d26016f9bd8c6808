/**
 * The Kafka edge every service shares: configuration ({@code ferry.kafka.*}), the publisher, listener containers
 * that decode with the schemas' codec, the dead-letter path and topic creation. No domain logic lives here.
 */
package io.ferry.messaging;
