package io.ferry.bench;

import io.ferry.deploy.FerryCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A Keystone token of the cluster's generated admin, scoped to its project, for benchmarks that drive the API. */
final class AdminToken {

    private AdminToken() {
    }

    static String of(HttpClient http, FerryCluster cluster) throws Exception {
        var admin = cluster.identity().admin();
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s", "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}""".formatted(admin.user(), admin.password(), admin.project());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.identityUrl() + "/v3/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("x-subject-token")
                .orElseThrow(() -> new IllegalStateException("no token: HTTP " + response.statusCode()));
    }
}
