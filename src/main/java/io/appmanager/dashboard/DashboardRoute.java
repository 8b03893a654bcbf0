package io.appmanager.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The operator page is static (META-INF/resources/dashboard/: public HTML, JS and CSS that carry no data;
 * docs/dashboard.md). The static handler serves {@code /dashboard/} (its index.html); this sends a typed
 * {@code /dashboard} there with a 301, as web servers do for a directory.
 */
@ApplicationScoped
public class DashboardRoute {

    static final String PAGE = "/dashboard/";

    void route(@Observes Router router) {
        router.get("/dashboard").handler(rc -> {
            if (!"/dashboard".equals(rc.normalizedPath())) {
                rc.next(); // "/dashboard/" also reaches this route: the static handler serves it
                return;
            }
            String query = rc.request().query();
            rc.response().setStatusCode(301)
                    .putHeader("Location", query == null ? PAGE : PAGE + "?" + query)
                    .end();
        });
    }
}
