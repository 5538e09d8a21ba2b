package io.pgforce.schema;

import io.pgforce.testing.TestDatabase;

/** Every adoption test again, on Debian's PostgreSQL (15 on bookworm) beside the embedded 17. */
class HerokuConnectAdoptionOnDebianTest extends HerokuConnectAdoptionTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.onDebian("adopt");
    }
}
