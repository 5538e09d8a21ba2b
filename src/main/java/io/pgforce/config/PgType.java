package io.pgforce.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Postgres column type a mapping may use. Only a fixed set of shapes is accepted so that a type
 * written in a mapping file can be put into DDL verbatim without any risk of SQL injection.
 */
public record PgType(String sql) {

    public static final PgType VARCHAR_255 = new PgType("varchar(255)");
    public static final PgType SFID = new PgType("varchar(18)");
    public static final PgType BOOLEAN = new PgType("boolean");
    public static final PgType DOUBLE = new PgType("double precision");

    /** The largest precision Postgres accepts in a numeric type declaration. */
    private static final int MAX_NUMERIC_PRECISION = 1000;
    /** The longest varchar Postgres accepts (10 MiB characters). */
    private static final int MAX_VARCHAR_LENGTH = 10485760;

    private static final Pattern VARCHAR = Pattern.compile("(?:varchar|character varying)\\s*\\(\\s*(\\d{1,8})\\s*\\)");
    private static final Pattern NUMERIC = Pattern.compile("(?:numeric|decimal)\\s*\\(\\s*(\\d{1,4})\\s*(?:,\\s*(\\d{1,4})\\s*)?\\)");

    /** Parses a type as written in a mapping file; empty when it is not one pgforce accepts. */
    public static Optional<PgType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher m = VARCHAR.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            return n >= 1 && n <= MAX_VARCHAR_LENGTH ? Optional.of(new PgType("varchar(" + n + ")")) : Optional.empty();
        }
        m = NUMERIC.matcher(t);
        if (m.matches()) {
            int precision = Integer.parseInt(m.group(1));
            int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            // what every supported Postgres accepts (15 and later also take a scale outside 0..precision)
            if (precision < 1 || precision > MAX_NUMERIC_PRECISION || scale > precision) {
                return Optional.empty();
            }
            return Optional.of(new PgType(m.group(2) == null ? "numeric(" + precision + ")" : "numeric(" + precision + "," + scale + ")"));
        }
        return Optional.ofNullable(switch (t) {
            case "varchar", "character varying", "text" -> t.equals("text") ? "text" : "varchar";
            case "boolean", "bool" -> "boolean";
            case "integer", "int", "int4" -> "integer";
            case "bigint", "int8" -> "bigint";
            case "smallint", "int2" -> "smallint";
            case "double precision", "double", "float8" -> "double precision";
            case "real", "float4" -> "real";
            case "numeric", "decimal" -> "numeric";
            case "date" -> "date";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            case "timestamptz", "timestamp with time zone" -> "timestamptz";
            case "time", "time without time zone" -> "time";
            default -> null;
        }).map(PgType::new);
    }

    @Override
    public String toString() {
        return sql;
    }
}
