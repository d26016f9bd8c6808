package io.ferry.gateway.adapter.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An empty image service under {@code /image}, in the catalog only because python-openstackclient builds its image
 * client before {@code server list} and refuses to run when the catalog has none. Ferry manages no images: the list
 * is always empty, and the clients show servers' images as ids.
 */
@RestController
public class ImageStubController {

    @GetMapping({"/image", "/image/"})
    public Map<String, Object> versions(HttpServletRequest request) {
        return Map.of("versions", List.of(Map.of("id", "v2.9", "status", "CURRENT",
                "links", List.of(Map.of("rel", "self", "href", ServersController.baseUrl() + "/image/v2/")))));
    }

    @GetMapping({"/image/v2/images", "/image/v2/images/"})
    public Map<String, Object> images() {
        return Map.of("images", List.of(), "first", "/v2/images", "schema", "/v2/schemas/images");
    }
}
