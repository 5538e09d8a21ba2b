package io.pgforce.simulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Bulk jobs of one kind, by Id, as the org keeps them until they are deleted. */
final class BulkJobs<J extends BulkJob> {

    private final Map<String, J> jobs = new ConcurrentHashMap<>();

    void add(J job) {
        jobs.put(job.id, job);
    }

    /** The job, or null. */
    J get(String id) {
        return jobs.get(id);
    }

    void remove(J job) {
        jobs.remove(job.id);
    }

    /** Oldest first: job Ids come from one increasing sequence. */
    List<J> all() {
        return jobs.values().stream().sorted(Comparator.comparing(j -> j.id)).toList();
    }

    /** Forgets every job; unfinished ones are aborted first, so that none goes on in a fresh org. */
    void clear() {
        jobs.values().stream().filter(j -> !j.finished()).forEach(j -> j.state = "Aborted");
        jobs.clear();
    }
}
