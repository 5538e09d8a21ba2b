package io.pgforce.simulator;


import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL subset the simulator answers:
 * {@code SELECT f1, f2, Parent.Field FROM Object [WHERE f op value [AND|OR ...]] [ORDER BY f [ASC|DESC], ...] [LIMIT n]}
 * and {@code SELECT COUNT() FROM Object [WHERE ...]}, with the operators = != < <= > >= LIKE IN and
 * NOT, parentheses, and string, number, boolean, null, date and datetime literals.
 */
final class SoqlQuery {

    private static final Pattern TOKEN = Pattern.compile("\\s*('(?:[^'\\\\]|\\\\.)*'|\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(?:Z|[+-]\\d{2}:?\\d{2})|[A-Za-z_][A-Za-z0-9_.]*|-?\\d+(?:\\.\\d+)?|<=|>=|!=|<>|[=<>(),*])");

    /** One ORDER BY item. */
    private record Order(String field, boolean descending) {
    }

    final List<String> fields = new ArrayList<>();
    String object;
    /** SELECT COUNT(): the answer is the number of rows, and no rows. */
    boolean count;
    private Predicate<SimRecord> where = r -> true;
    private final List<Order> orderBy = new ArrayList<>();
    private int limit = Integer.MAX_VALUE;
    private final List<String> tokens = new ArrayList<>();
    private int pos;
    private final SimulatedOrg org;

    private SoqlQuery(String soql, SimulatedOrg org) {
        this.org = org;
        Matcher m = TOKEN.matcher(soql);
        int at = 0;
        while (at < soql.length()) {
            if (!m.find(at) || m.start() != at) {
                if (soql.substring(at).isBlank()) {
                    break;
                }
                throw malformed("unexpected text near '" + soql.substring(at).trim() + "'");
            }
            tokens.add(m.group(1));
            at = m.end();
        }
        parse();
    }

    static SoqlQuery parse(String soql, SimulatedOrg org) {
        return new SoqlQuery(soql, org);
    }

    private SimFault malformed(String problem) {
        return new SimFault("MALFORMED_QUERY", problem, 400);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw malformed("unexpected end of query");
        }
        return tokens.get(pos++);
    }

    private boolean accept(String word) {
        if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private void parse() {
        if (!accept("SELECT")) {
            throw malformed("a query starts with SELECT");
        }
        if (accept("COUNT")) {
            if (!accept("(") || !accept(")")) {
                throw malformed("COUNT takes no field here: SELECT COUNT() FROM ...");
            }
            count = true;
        } else {
            do {
                fields.add(next());
            } while (accept(","));
        }
        if (!accept("FROM")) {
            throw malformed("expected FROM");
        }
        ObjectDef def = org.object(next());
        if (!def.queryable()) {
            // as Salesforce answers a user without Read on the object
            throw new SimFault("INVALID_TYPE", "sObject type '" + def.name() + "' is not supported.");
        }
        object = def.name();
        if (accept("WHERE")) {
            where = or();
        }
        if (accept("ORDER")) {
            if (!accept("BY")) {
                throw malformed("expected BY after ORDER");
            }
            do {
                String field = next();
                boolean descending = accept("DESC");
                if (!descending) {
                    accept("ASC");
                }
                orderBy.add(new Order(field, descending));
            } while (accept(","));
        }
        if (accept("LIMIT")) {
            limit = Integer.parseInt(next());
        }
        if (pos != tokens.size()) {
            throw malformed("unexpected '" + tokens.get(pos) + "'");
        }
    }

    private Predicate<SimRecord> or() {
        Predicate<SimRecord> left = and();
        while (accept("OR")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<SimRecord> and() {
        Predicate<SimRecord> left = term();
        while (accept("AND")) {
            left = left.and(term());
        }
        return left;
    }

    private Predicate<SimRecord> term() {
        if (accept("NOT")) {
            return term().negate();
        }
        if (accept("(")) {
            Predicate<SimRecord> inner = or();
            if (!accept(")")) {
                throw malformed("expected )");
            }
            return inner;
        }
        String field = next();
        String op = next().toUpperCase(Locale.ROOT);
        if (op.equals("IN")) {
            if (!accept("(")) {
                throw malformed("expected ( after IN");
            }
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal(next()));
            } while (accept(","));
            accept(")");
            return r -> values.stream().anyMatch(v -> compare(value(r, field), v) == 0);
        }
        Object literal = literal(next());
        return switch (op) {
            case "=" -> r -> literal == null ? value(r, field) == null : compare(value(r, field), literal) == 0;
            case "!=", "<>" -> r -> literal == null ? value(r, field) != null : compare(value(r, field), literal) != 0;
            case "<" -> r -> compare(value(r, field), literal) < 0 && value(r, field) != null;
            case "<=" -> r -> value(r, field) != null && compare(value(r, field), literal) <= 0;
            case ">" -> r -> value(r, field) != null && compare(value(r, field), literal) > 0;
            case ">=" -> r -> value(r, field) != null && compare(value(r, field), literal) >= 0;
            case "LIKE" -> {
                Pattern like = Pattern.compile(Pattern.quote(String.valueOf(literal)).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q"), Pattern.CASE_INSENSITIVE);
                yield r -> value(r, field) != null && like.matcher(value(r, field).toString()).matches();
            }
            default -> throw malformed("unknown operator " + op);
        };
    }

    private Object literal(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replace("\\'", "'");
        }
        if (token.equalsIgnoreCase("null")) {
            return null;
        }
        if (token.equalsIgnoreCase("true") || token.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(token);
        }
        if (token.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return LocalDate.parse(token);
        }
        if (token.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            try {
                return FieldValues.instant(token);
            } catch (java.time.format.DateTimeParseException e) {
                throw malformed("unexpected datetime " + token + " (expected e.g. 2024-01-31T23:59:59Z)");
            }
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw malformed("unexpected value " + token);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareToIgnoreCase(y);
        }
        if (a instanceof Comparable c && a.getClass().isInstance(b)) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    /** A field of the record, following one relationship (e.g. Account.Name). */
    Object value(SimRecord r, String field) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            return r.get(field);
        }
        ObjectDef def = org.object(r.type());
        FieldDef lookup = def.relationship(field.substring(0, dot)).orElse(null);
        if (lookup == null || r.get(lookup.name()) == null) {
            return null;
        }
        return org.find(r.get(lookup.name()).toString()).map(p -> p.get(field.substring(dot + 1))).orElse(null);
    }

    /** The matching records, ordered and limited; deleted ones too for queryAll. */
    List<SimRecord> run(boolean includeDeleted) {
        List<SimRecord> all = includeDeleted ? org.recordsWithDeleted(object) : org.records(object);
        List<SimRecord> rows = new ArrayList<>(all.stream().filter(where).toList());
        Comparator<SimRecord> order = null;
        for (Order o : orderBy) {
            Comparator<SimRecord> next = (a, b) -> compare(value(a, o.field()), value(b, o.field()));
            next = o.descending() ? next.reversed() : next;
            order = order == null ? next : order.thenComparing(next);
        }
        if (order != null) {
            rows.sort(order);
        }
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    /**
     * The query's columns as Bulk API 2.0 results name them, in the query's order: each field in its
     * own spelling, a parent's as {@code Relationship.Field}. A field the object (or the parent) does
     * not have is refused with INVALID_FIELD.
     */
    List<String> columns() {
        ObjectDef def = org.object(object);
        List<String> columns = new ArrayList<>();
        for (String f : fields) {
            int dot = f.indexOf('.');
            if (dot < 0) {
                columns.add(def.field(f).orElseThrow(() -> noSuchColumn(f)).name());
                continue;
            }
            FieldDef lookup = def.relationship(f.substring(0, dot)).filter(l -> !l.referenceTo().isEmpty()).orElseThrow(() -> noSuchColumn(f));
            FieldDef parentField = org.object(lookup.referenceTo().get(0)).field(f.substring(dot + 1)).orElseThrow(() -> noSuchColumn(f));
            columns.add(lookup.relationshipName() + "." + parentField.name());
        }
        return columns;
    }

    private SimFault noSuchColumn(String field) {
        return new SimFault("INVALID_FIELD", "No such column '" + field + "' on entity '" + object + "'", 400);
    }

    /** One row as the REST API returns it, with its attributes and nested parents. */
    Map<String, Object> json(SimRecord r, String apiVersion) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attributes", Map.of("type", r.type(), "url", "/services/data/v" + apiVersion + "/sobjects/" + r.type() + "/" + r.id()));
        for (String f : fields) {
            int dot = f.indexOf('.');
            if (dot < 0) {
                FieldDef def = org.object(r.type()).field(f).orElseThrow(() -> noSuchColumn(f));
                row.put(def.name(), FieldValues.json(r.get(def.name())));
            } else {
                String rel = f.substring(0, dot);
                Object v = value(r, f);
                @SuppressWarnings("unchecked")
                Map<String, Object> parent = (Map<String, Object>) row.computeIfAbsent(rel, k -> new LinkedHashMap<>());
                parent.put(f.substring(dot + 1), FieldValues.json(v));
            }
        }
        return row;
    }

}
