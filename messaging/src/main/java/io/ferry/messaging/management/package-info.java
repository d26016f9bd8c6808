/**
 * What operators scrape and probe on every Ferry service: a small HTTP listener of its own (not the gateway's API
 * port) with {@code /actuator/health} (Spring Boot's health indicators, the broker's among them) and
 * {@code /actuator/prometheus} (the service's Micrometer registry in Prometheus' text format).
 */
package io.ferry.messaging.management;
