package io.pgforce.admin.api;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.util.ArrayList;
import org.junit.jupiter.api.BeforeEach;

/** What the import tests share: an API client without a token, and their mapping file put back before each test. */
abstract class ImportTestBase {

    @TestHTTPResource("/")
    URL root;

    ApiClient api;

    /** The running mapping file the class's test profile configures. */
    abstract MappingFileCopy mapping();

    @BeforeEach
    void open() {
        mapping().restore();
        api = new ApiClient(root, null, new ArrayList<>());
    }
}
