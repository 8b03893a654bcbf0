package io.appmanager.docs;

import io.appmanager.apps.TransitionRetry;
import io.appmanager.support.Gw;
import io.appmanager.support.OnRedisEngine;
import io.appmanager.support.ServiceFacts;
import io.appmanager.support.Tokens;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/operations.md's Metrics section against the running service, on the Redis engine (which has every
 * meter the in-process engine has, and its own). The meters that appear only on first use are made to
 * appear: a socket identifies and is closed by the server, an event is published, a transition write is
 * given up. Then every {@code appmanager.*} meter in the registry must have a row with its Micrometer name,
 * its Prometheus name (as the Prometheus registry names it, and as /q/metrics serves it) and its tag keys;
 * and every Prometheus name the section lists must be a meter (a removed meter fails).
 */
@QuarkusTest
@TestProfile(OnRedisEngine.class)
class MetricsReferenceTest {

    /** One documented row. */
    record Row(String micrometerName, String prometheusName, String tags) {
    }

    @Inject
    MeterRegistry registry;

    @Inject
    TransitionRetry transitionRetry;

    @Test
    void everyMeterIsInTheMetricsReferenceAndEveryDocumentedMeterExists() throws Exception {
        exerciseWhatRegistersOnFirstUse();
        MeterRegistry prometheus = prometheusRegistry();
        Set<String> exposed = ServiceFacts.exposedMetricNames(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString());

        Map<String, Set<String>> servedTags = new TreeMap<>();
        Map<String, String> micrometerNames = new HashMap<>();
        for (Meter m : prometheus.getMeters()) {
            Meter.Id id = m.getId();
            if (!id.getName().startsWith("appmanager.")) {
                continue;
            }
            String name = prometheus.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
            micrometerNames.put(name, id.getName());
            Set<String> tags = servedTags.computeIfAbsent(name, k -> new TreeSet<>());
            id.getTags().stream().map(Tag::getKey).forEach(tags::add);
        }
        assertTrue(servedTags.size() >= 30, "too few appmanager meters to be the whole service: " + servedTags.keySet());

        List<Row> rows = documentedRows();
        Map<String, List<Row>> documented = new HashMap<>();
        rows.forEach(r -> documented.computeIfAbsent(r.prometheusName(), k -> new ArrayList<>()).add(r));

        List<String> problems = new ArrayList<>();
        servedTags.forEach((name, tags) -> {
            if (!servedIn(exposed, name)) {
                problems.add(name + " is not on /q/metrics under that name");
            }
            List<Row> doc = documented.get(name);
            if (doc == null) {
                problems.add(name + " (" + micrometerNames.get(name) + ") is registered but not in the Metrics section");
                return;
            }
            if (doc.stream().noneMatch(r -> r.micrometerName().equals(micrometerNames.get(name)))) {
                problems.add(name + ": documented as Micrometer " + doc.get(0).micrometerName() + ", registered as " + micrometerNames.get(name));
            }
            for (String tag : tags) {
                if (doc.stream().noneMatch(r -> r.tags().contains("`" + tag + "`"))) {
                    problems.add(name + ": tag " + tag + " is not in its Tags column");
                }
            }
        });
        for (String name : documented.keySet()) {
            if (!servedTags.containsKey(name)) {
                problems.add(name + " is in the Metrics section but no such meter is registered (removed or renamed?)");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The rows of the Metrics section's tables: Micrometer name, Prometheus name, type, tags, meaning. */
    private static List<Row> documentedRows() {
        List<Row> rows = new ArrayList<>();
        for (List<String> cells : OperationsDoc.tableRows(ServiceFacts.metricsReference())) {
            if (cells.size() < 5) {
                continue;
            }
            List<String> micrometer = OperationsDoc.codeSpans(cells.get(0));
            List<String> prometheus = OperationsDoc.codeSpans(cells.get(1));
            if (!micrometer.isEmpty() && !prometheus.isEmpty() && prometheus.get(0).startsWith("appmanager_")) {
                rows.add(new Row(micrometer.get(0), prometheus.get(0), cells.get(3)));
            }
        }
        assertTrue(rows.size() >= 30, "the Metrics section's tables were not found: " + rows);
        return rows;
    }

    /** A counter's or gauge's samples carry its name; a timer's name_count (and _sum, _bucket). */
    private static boolean servedIn(Set<String> exposed, String name) {
        return exposed.contains(name) || exposed.contains(name + "_count");
    }

    private MeterRegistry prometheusRegistry() {
        Set<MeterRegistry> candidates = new HashSet<>();
        candidates.add(registry);
        if (registry instanceof CompositeMeterRegistry composite) {
            candidates.addAll(composite.getRegistries());
        }
        return candidates.stream().filter(r -> r.getClass().getSimpleName().equals("PrometheusMeterRegistry")).findFirst()
                .orElseThrow(() -> new AssertionError("no Prometheus registry among " + candidates));
    }

    /** The meters that are registered on first use, not at start. */
    private void exerciseWhatRegistersOnFirstUse() throws Exception {
        // appmanager.gateway.closes: a frame the gateway refuses closes the socket
        Gw.Session s = Gw.ready(Tokens.user("metrics-reference", "metrics.reference"), "messages");
        s.socket().sendBinary(new byte[]{1, 2, 3});
        s.socket().awaitClose();
        // appmanager.events.published
        Gw.publish("metrics.reference", "message.create", Map.of("text", "hi"));
        // appmanager.app.transitions.failed: a transition write that keeps failing is given up (3 s in tests)
        Method write = TransitionRetry.class.getDeclaredMethod("write", String.class, Object.class, Supplier.class);
        write.setAccessible(true);
        Supplier<Uni<Object>> failing = () -> Uni.createFrom().failure(new IllegalStateException("database blip (test)"));
        Uni<?> given = (Uni<?>) write.invoke(ClientProxy.unwrap(transitionRetry), "StopCompleted", "metrics-reference", failing);
        try {
            given.await().atMost(Duration.ofSeconds(30));
        } catch (IllegalStateException expected) {
            // given up, as wanted
        }
    }
}
