package io.pgforce.config;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The configuration system and the CDI container both need the mapping: parse each file once. */
final class MappingCache {

    private static final ConcurrentMap<Path, MappingSet> LOADED = new ConcurrentHashMap<>();

    private MappingCache() {
    }

    static MappingSet load(Path file) {
        Path key = file.toAbsolutePath().normalize();
        MappingSet cached = LOADED.get(key);
        if (cached != null) {
            return cached;
        }
        MappingSet set = MappingLoader.load(file); // not computeIfAbsent: a failure must not be cached
        LOADED.put(key, set);
        return set;
    }
}
