package io.pgforce.triggerlog;

import io.pgforce.testing.TestDatabase;

/** {@link SettlePlanTest} on Debian's PostgreSQL (15), whose planner is two versions older than the embedded one's. */
class SettlePlanOnDebianTest extends SettlePlanTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.onDebian("settle_plan");
    }
}
