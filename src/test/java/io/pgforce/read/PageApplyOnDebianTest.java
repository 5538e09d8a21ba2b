package io.pgforce.read;

import io.pgforce.testing.TestDatabase;

/** {@link PageApplyTest} on Debian's PostgreSQL (15), two versions older than the embedded one. */
class PageApplyOnDebianTest extends PageApplyTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.onDebian("page_apply");
    }
}
