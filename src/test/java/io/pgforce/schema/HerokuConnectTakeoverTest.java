package io.pgforce.schema;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;

/** The whole take-over (HerokuConnectTakeover) on the suite's PostgreSQL, the embedded 17. */
@QuarkusTest
@EndToEnd(mapping = "takeover.yaml", herokuConnectHcver = 52)
class HerokuConnectTakeoverTest extends HerokuConnectTakeover {
}
