package io.pgforce.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;

/**
 * A {@code @QuarkusTest} of the whole application: a fresh database on the shared test PostgreSQL
 * ({@link PostgresTestResource}), a simulated org that the application logs in to over HTTP
 * ({@link SalesforceTestResource}), and its mapping file ({@link MappingTestResource}). A class
 * states only what differs from the suite's defaults:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;EndToEnd(mapping = "test-merged.yaml")
 * class MergedWritesTest {
 * </pre>
 *
 * Quarkus starts one application for each distinct set of test resources (and test profile): the
 * classes with the same attributes share one; each other combination of attributes starts its own,
 * as a test profile does. Any other setting stays in a {@code @TestProfile} beside this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = SalesforceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = MappingTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
public @interface EndToEnd {

    /** Where {@link #mapping()} names its file. */
    Path MAPPINGS = Path.of("src/test/resources/mappings");
    /** Where {@link #simulatorSchema()} names its file. */
    Path SIMULATOR_SCHEMAS = Path.of("src/test/resources/simulator");

    /** A mapping file in {@link #MAPPINGS}; empty: the suite's (application.properties, {@code %test}: test.yaml, Ordered Writes). */
    String mapping() default "";

    /** The simulated org's schema, a file in {@link #SIMULATOR_SCHEMAS}; empty: the simulator's default org. */
    String simulatorSchema() default "";

    /**
     * Above 0: the database is laid out as Heroku Connect leaves it, with this hcver, for the
     * mapping (HerokuConnectLayout), before pgforce starts on it.
     */
    int herokuConnectHcver() default 0;

    /** The application's database is on Debian's PostgreSQL (TestDatabase.onDebian), not the suite's server. */
    boolean debianPostgres() default false;

    /** The org refuses every login from the start, until the test lets them in. */
    boolean refuseLogins() default false;
}
