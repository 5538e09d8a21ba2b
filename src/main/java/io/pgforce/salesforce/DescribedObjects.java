package io.pgforce.salesforce;

import java.util.Optional;

/** The org's describe of the mapped objects, as checked at start-up (see {@link OrgSchema}). */
public interface DescribedObjects {

    /** The object's describe, or empty before it is loaded or when the org has no such object. */
    Optional<ObjectInfo> object(String name);
}
