package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outside the demo run and the tests, an API without a token refuses every call and says why. */
@QuarkusTest
@TestProfile(AdminApiWithoutTokenTest.NoToken.class)
@EndToEnd
class AdminApiWithoutTokenTest {

    /** As in production: no token, and not open without one. */
    public static class NoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgforce.admin.token", "", "pgforce.admin.open-without-token", "false");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyCallIsRefusedSayingWhatToSet() {
        ApiClient api = new ApiClient(root, null, new ArrayList<>());
        for (ApiClient caller : new ApiClient[] {api, api.withToken("a-guess")}) {
            assertThat(caller.get("/api/status").error(403)).isEqualTo(AdminTokenFilter.NO_TOKEN);
            assertThat(caller.get("/api/diagnose").error(403)).contains("pgforce.admin.token", "PGFORCE_ADMIN_TOKEN");
            assertThat(caller.post("/api/errors/retry", "{}").error(403)).isEqualTo(AdminTokenFilter.NO_TOKEN);
        }
    }
}
