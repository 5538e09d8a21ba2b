package io.pgforce.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a mapping configuration from either of the two accepted formats: pgforce's YAML mapping
 * file, or the original's mapping export JSON as Heroku Connect writes it. The result is validated.
 */
public final class MappingLoader {

    private MappingLoader() {
    }

    public static MappingSet load(Path file) {
        if (Files.isDirectory(file)) {
            throw new MappingException(file, null, null, "is a directory (set pgforce.mapping.file to a YAML mapping file or a Heroku Connect mapping export JSON)");
        }
        if (!Files.isRegularFile(file)) {
            throw new MappingException(file, null, null, "file not found (set pgforce.mapping.file to a YAML mapping file or a Heroku Connect mapping export JSON)");
        }
        String text;
        try {
            text = Utf8Text.decode(Files.readAllBytes(file));
        } catch (Utf8Text.NotUtf8 e) {
            throw new MappingException(file, null, null, e.getMessage());
        } catch (IOException e) {
            throw new MappingException(file, "cannot read: " + e.getMessage(), e);
        }
        return parseAndValidate(file, text);
    }

    /**
     * A mapping file's content, for example one posted to diagnose: read and validated exactly as
     * the file would be. {@code name} stands for the file in messages and picks the format ({@code .json}).
     */
    public static MappingSet read(Path name, String content) {
        Utf8Text.notText(content).ifPresent(problem -> {
            throw new MappingException(name, null, null, problem);
        });
        return parseAndValidate(name, content);
    }

    private static MappingSet parseAndValidate(Path name, String content) {
        JsonNode tree = parse(name, content);
        if (!tree.isObject()) {
            throw new MappingException(name, null, null, "expected a mapping document (an object with 'mappings'), found " + tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        MappingSet set = isExport(tree) ? ExportMappingReader.read(name, tree) : YamlMappingReader.read(name, tree);
        MappingValidator.validate(set);
        return set;
    }

    /** The original's export has a numeric {@code version} and {@code object_name} keys. */
    static boolean isExport(JsonNode tree) {
        JsonNode first = tree.path("mappings").path(0);
        return tree.has("version") && first.has("object_name");
    }

    private static JsonNode parse(Path file, String content) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        // a key given twice, or a second document, is refused, not settled silently by what the parser keeps
        ObjectMapper mapper = (name.endsWith(".json") ? new ObjectMapper() : new YAMLMapper())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try {
            JsonNode tree = mapper.readTree(content);
            if (tree == null || tree.isMissingNode()) {
                throw new MappingException(file, null, null, "the file is empty");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new MappingException(file, null, null, ParseProblem.of(e));
        }
    }
}
