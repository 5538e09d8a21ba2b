package io.pgforce.schema;

import io.pgforce.connection.ConnectionProblem;
import io.pgforce.connection.ConnectionState;

/**
 * The schema is Heroku Connect's and pgforce has not adopted it: pgforce waits, capturing,
 * claiming and writing nothing, until an operator adopts it (see {@link SchemaInstaller#adopt}).
 */
public final class SchemaNotAdoptedException extends IllegalStateException implements ConnectionProblem {

    SchemaNotAdoptedException(String message) {
        super(message);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.NOT_ADOPTED;
    }
}
