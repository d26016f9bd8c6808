package io.ferry.gateway.contract;

import io.ferry.gateway.adapter.keystone.KeystoneController;
import io.ferry.gateway.adapter.rest.ServersController;
import io.ferry.gateway.config.GatewayConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/** The gateway's web side with its real filters, controllers and use cases; Kafka replaced by a recorder. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(GatewayConfiguration.class)
@ComponentScan(basePackageClasses = {ServersController.class, KeystoneController.class})
class ContractTestApp {

    @Bean
    RecordingPublisher recordingPublisher() {
        return new RecordingPublisher();
    }
}
