package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.refused;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.start;
import static org.portcullis.admission.Fixtures.through;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TestSnapshots;

/** Stage 2: a route, the gateway's own pages, or 404. */
class DestinationStageTest {
    static final GatewaySnapshot WITH_PORTAL = TestSnapshots.snapshot(TestSnapshots.withStore(Fixtures.YAML + """
            portal:
              url: https://login.test
            """));

    final DestinationStage stage = new DestinationStage();

    AdmissionContext canonical(GatewaySnapshot snapshot, String path, String host, boolean tls) {
        return through(start(snapshot, request("GET", path, "Host", host), tls), new CanonicaliseStage());
    }

    @Test
    void routedHostGoesToItsRoute() {
        AdmissionContext next = ((Stage.Step.Next) stage.apply(canonical(Fixtures.SNAPSHOT, "/x", "api.test", false)))
                .context();

        assertThat(next.destination()).isEqualTo(AdmissionContext.Destination.ROUTE);
        assertThat(next.route().name()).isEqualTo("api");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.portcullis/", "/.portcullis/login", "/.portcullis/jwks.json"})
    void reservedPathOnAProtectedHostIsThePortalsNeverTheRoutes(String path) {
        AdmissionContext next = ((Stage.Step.Next) stage.apply(canonical(WITH_PORTAL, path, "app.test", false)))
                .context();

        assertThat(next.destination()).isEqualTo(AdmissionContext.Destination.PORTAL);
        assertThat(next.route()).isNull();
    }

    @Test
    void reservedPathIsThePortalsEvenWithoutAPortalSection() {
        AdmissionContext next = ((Stage.Step.Next) stage.apply(
                canonical(Fixtures.SNAPSHOT, "/.portcullis/login", "app.test", false))).context();

        assertThat(next.destination()).isEqualTo(AdmissionContext.Destination.PORTAL);
    }

    @Test
    void unknownHostHasNoRoute() {
        Admission.Refuse refuse = refused(stage.apply(canonical(WITH_PORTAL, "/", "other.test", false)));

        assertThat(refuse.status()).isEqualTo(404);
        assertThat(refuse.code()).isEqualTo("NO_ROUTE");
        assertThat(refuse.close()).isFalse();
    }

    @Test
    void reservedPathOnAnUnknownHostHasNoRoute() {
        Admission.Refuse refuse = refused(stage.apply(canonical(WITH_PORTAL, "/.portcullis/login", "other.test",
                false)));

        assertThat(refuse.code()).isEqualTo("NO_ROUTE");
    }

    @Test
    void anyPathOnThePortalHostIsThePortals() {
        AdmissionContext next = ((Stage.Step.Next) stage.apply(canonical(WITH_PORTAL, "/anything", "login.test", true)))
                .context();

        assertThat(next.destination()).isEqualTo(AdmissionContext.Destination.PORTAL);
    }

    @Test
    void portalHostOverPlainHttpIsNotThePortal() {
        // The portal's origin is https://login.test: http://login.test is another origin, and no route serves it.
        assertThat(refused(stage.apply(canonical(WITH_PORTAL, "/", "login.test", false))).code())
                .isEqualTo("NO_ROUTE");
    }
}
