package io.ferry.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ferry.kafka.*}: where the broker is and how to reach it. The same jars run against the embedded broker
 * and a real cluster; TLS and SASL settings go through {@link #getProperties()} verbatim.
 */
@ConfigurationProperties("ferry.kafka")
public class FerryKafkaProperties {

    /** Comma-separated bootstrap servers. */
    private String bootstrapServers = "localhost:9092";
    /** Create the fixed topics at start-up when missing (off when an operator manages topics). */
    private boolean createTopics = true;
    /** Replication factor for topics Ferry creates. */
    private short replicationFactor = 1;
    /**
     * The largest record (key and value, serialized) a consumer accepts; a larger one goes to the dead-letter topic
     * as {@code OVERSIZED} before it is decoded. 1 MiB, Kafka's default message size.
     */
    private int maxRecordBytes = 1024 * 1024;
    /** Extra Kafka client properties (security.protocol, sasl.*, ssl.*), passed to every client. */
    private Map<String, String> properties = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public boolean isCreateTopics() {
        return createTopics;
    }

    public void setCreateTopics(boolean createTopics) {
        this.createTopics = createTopics;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public int getMaxRecordBytes() {
        return maxRecordBytes;
    }

    public void setMaxRecordBytes(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /** The common client configuration: bootstrap servers plus the extra properties. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }
}
