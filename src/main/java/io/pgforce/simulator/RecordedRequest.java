package io.pgforce.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request a client made to a write API (a SOAP partner call or a Bulk API 2.0 ingest request),
 * as it arrived, so that the same calls can be made again on the same data.
 *
 * @param method    GET, POST, PUT, PATCH or DELETE
 * @param path      the path and query string as sent
 * @param headers   the ones a replay needs, those that were sent: Content-Type, SOAPAction,
 *                  Content-Encoding, Accept, Authorization (names in any case)
 * @param body      the body as it arrived: still gzipped when the client compressed it (WSC does)
 * @param status    the HTTP status answered, or -1 when there was none: the connection was dropped,
 *                  or the request was still being handled when the list was taken
 * @param bulkJobId the Bulk job the request created or addressed; null for SOAP calls and for
 *                  Bulk requests about no job (a list, a refused create)
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, byte[] body, int status, String bulkJobId) {

    public RecordedRequest {
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = Collections.unmodifiableMap(caseless);
    }

    /** A SOAP partner call; otherwise a Bulk ingest request. */
    public boolean soap() {
        return path.startsWith("/services/Soap/");
    }
}
