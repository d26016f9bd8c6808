package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.domain.Microversion;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The compute API's version documents ({@code GET /}, {@code GET /v2.1}): open, with min and max microversion. */
@RestController
public class VersionsController {

    @GetMapping({"/", "/v2.1", "/v2.1/"})
    public Map<String, Object> versions(HttpServletRequest request) {
        String base = ServersController.baseUrl();
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("id", "v2.1");
        version.put("status", "CURRENT");
        version.put("version", Microversion.MAX.toString());
        version.put("min_version", Microversion.MIN.toString());
        version.put("updated", "2013-07-23T11:33:21Z");
        version.put("links", List.of(Map.of("rel", "self", "href", base + "/v2.1/")));
        version.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.compute+json;version=2.1")));
        String path = request.getRequestURI();
        return path.equals("/") ? Map.of("versions", List.of(version)) : Map.of("version", version);
    }
}
