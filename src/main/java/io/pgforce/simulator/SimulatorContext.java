package io.pgforce.simulator;

import java.util.List;
import java.util.Map;

/** What the endpoints share: the org, its sessions, faults, the call log and the credentials. */
interface SimulatorContext {

    SimulatedOrg org();

    Sessions sessions();

    Faults faults();

    CallLog calls();

    /** The org's record locks, which concurrent writes contend for. */
    RowLocks locks();

    Credentials credentials();

    /** {@code http://127.0.0.1:<port>}: the simulator is its own login server and instance. */
    String instanceUrl();

    /** The transaction of one write call, whatever API it came through: late when {@link Faults#lateWrites} says so. */
    default SimulatedOrg.Unit writeUnit() {
        return org().unit(faults().takeLateness());
    }

    default void log(String api, String operation, int records, String outcome) {
        calls().add(new CallLog.Call(java.time.Instant.now(), api, operation, List.of(), records, 0, 0, outcome, Map.of()));
    }
}
