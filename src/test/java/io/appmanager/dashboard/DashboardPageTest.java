package io.appmanager.dashboard;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The operator page's files are served, at /dashboard too, with a policy that keeps the page to them. */
@QuarkusTest
class DashboardPageTest {

    @Test
    void thePageIsServedAtDashboardWithAndWithoutTheSlash() {
        RestAssured.get("/dashboard/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("id=\"token\""), containsString("/dashboard/dashboard.js"));
        RestAssured.given().redirects().follow(false).get("/dashboard").then().statusCode(301)
                .header("Location", endsWith("/dashboard/"));
        RestAssured.get("/dashboard").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("AppManager: app sessions"));
        RestAssured.given().redirects().follow(false).get("/dashboard?x=1").then().statusCode(301)
                .header("Location", endsWith("/dashboard/?x=1"));
    }

    @Test
    void itsScriptAndStyleAreServedAndNothingLoadsFromElsewhere() {
        RestAssured.get("/dashboard/dashboard.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("admin.app-sessions"))
                // data is rendered as text only: no markup sinks
                .body(not(containsString(".innerHTML")), not(containsString(".outerHTML")),
                        not(containsString("insertAdjacentHTML")), not(containsString("document.write")));
        RestAssured.get("/dashboard/dashboard.css").then().statusCode(200).contentType(startsWith("text/css"));
        RestAssured.get("/dashboard/").then()
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(not(containsString("http://")), not(containsString("https://")));
    }

    @Test
    void otherPathsAreNotThePage() {
        RestAssured.get("/dashboardx").then().statusCode(404);
        RestAssured.get("/dashboard/missing.js").then().statusCode(404);
    }
}
