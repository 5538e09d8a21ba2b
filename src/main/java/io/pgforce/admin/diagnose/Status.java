package io.pgforce.admin.diagnose;

/** A check's outcome, as the original's diagnose reports it; declared from best to worst. */
public enum Status {
    /** Fine. */
    GREEN,
    /** Works, but something is lost, slow or at risk; read the action. */
    YELLOW,
    /** Does not work, or loses data: fix it. */
    RED;

    public Status worse(Status other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
