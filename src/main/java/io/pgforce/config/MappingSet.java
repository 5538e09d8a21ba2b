package io.pgforce.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A loaded, validated mapping configuration: the connection settings and every mapping. */
public record MappingSet(Path source, ConnectionSettings connection, List<Mapping> mappings) {

    public MappingSet {
        mappings = List.copyOf(mappings);
    }

    public Optional<Mapping> byTable(String table) {
        return mappings.stream().filter(m -> m.table().equals(table)).findFirst();
    }

    public Optional<Mapping> byObject(String object) {
        return mappings.stream().filter(m -> m.object().equalsIgnoreCase(object)).findFirst();
    }

    public List<Mapping> readWrite() {
        return mappings.stream().filter(Mapping::readWrite).toList();
    }
}
