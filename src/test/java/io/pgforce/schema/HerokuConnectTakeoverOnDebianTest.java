package io.pgforce.schema;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;

/** The whole take-over (HerokuConnectTakeover) with the application's database on Debian's PostgreSQL (15 on bookworm). */
@QuarkusTest
@EndToEnd(mapping = "takeover.yaml", herokuConnectHcver = 52, debianPostgres = true)
class HerokuConnectTakeoverOnDebianTest extends HerokuConnectTakeover {
}
