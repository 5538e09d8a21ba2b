package io.pgforce.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Why a mapping file does not parse, as one line with the line and column. SnakeYAML's own
 * message spans five to eight lines (a quoted excerpt with a caret under it), which start-up
 * would print as a block; the line and column say the same in one line.
 */
final class ParseProblem {

    /** Jackson's message for a key given twice, with {@code FAIL_ON_READING_DUP_TREE_KEY}. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)' for `ObjectNode`.*", Pattern.DOTALL);

    /** Jackson's message for a second document, with {@code FAIL_ON_TRAILING_TOKENS}. */
    private static final String TRAILING = "Trailing token";

    private ParseProblem() {
    }

    static String of(JsonProcessingException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.matches()) {
            return "key '" + duplicate.group(1) + "' appears twice (the second at" + at(e.getLocation()) + "): remove one";
        }
        if (String.valueOf(e.getOriginalMessage()).startsWith(TRAILING)) {
            return "more follows the document at" + at(e.getLocation()) + " (a second YAML document?): a mapping file holds one";
        }
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String context = yaml.getContext() == null ? "" : " (" + oneLine(yaml.getContext()) + ")";
            return "cannot parse at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + oneLine(yaml.getProblem()) + context;
        }
        String where = e.getLocation() == null ? "" : " at" + at(e.getLocation());
        return "cannot parse" + where + ": " + oneLine(String.valueOf(e.getOriginalMessage()));
    }

    private static String at(JsonLocation location) {
        return location == null ? " an unknown place" : " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
