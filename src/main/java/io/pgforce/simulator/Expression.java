package io.pgforce.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The small formula language of validation rules: field names, number, string ('x' or "x"),
 * TRUE/FALSE/NULL literals, comparisons (= == != <> < <= > >=), AND, OR, NOT, parentheses, and
 * the functions ISBLANK(x), LEN(x), BEGINS(x, 'p'), CONTAINS(x, 's') and ISPICKVAL(field, 'v').
 * As in Salesforce, a comparison with a blank value is false.
 */
public final class Expression {

    private interface Node extends Function<Map<String, Object>, Object> {
    }

    private final String source;
    private final Node root;
    private final List<String> tokens;
    private int pos;

    private Expression(String source) {
        this.source = source;
        this.tokens = tokenize(source);
        this.root = or();
        if (pos != tokens.size()) {
            throw error("unexpected '" + tokens.get(pos) + "'");
        }
    }

    public static Expression parse(String source) {
        return new Expression(source);
    }

    /** True when the record (field name, case-insensitive -> value) satisfies the expression. */
    public boolean test(Map<String, Object> record) {
        return Boolean.TRUE.equals(root.apply(record));
    }

    @Override
    public String toString() {
        return source;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("Invalid expression '" + source + "': " + problem);
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("Invalid expression '" + s + "': unterminated string");
                }
                out.add(s.substring(i, end + 1));
                i = end + 1;
            } else if ("<>!=".indexOf(c) >= 0) {
                int end = i + 1;
                if (end < s.length() && "=>".indexOf(s.charAt(end)) >= 0) {
                    end++;
                }
                out.add(s.substring(i, end));
                i = end;
            } else if ("(),".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                int end = i;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_' || s.charAt(end) == '.' || s.charAt(end) == '-' && end == i)) {
                    end++;
                }
                if (end == i) {
                    throw new IllegalArgumentException("Invalid expression '" + s + "': unexpected '" + c + "'");
                }
                out.add(s.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String keyword) {
        if (keyword.equalsIgnoreCase(peek())) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("expected '" + token + "'" + (peek() == null ? " at the end" : " before '" + peek() + "'"));
        }
    }

    private Node or() {
        Node left = and();
        while (accept("OR") || accept("||")) {
            Node l = left;
            Node r = and();
            left = rec -> Boolean.TRUE.equals(l.apply(rec)) || Boolean.TRUE.equals(r.apply(rec));
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (accept("AND") || accept("&&")) {
            Node l = left;
            Node r = not();
            left = rec -> Boolean.TRUE.equals(l.apply(rec)) && Boolean.TRUE.equals(r.apply(rec));
        }
        return left;
    }

    private Node not() {
        if (accept("NOT") || accept("!")) {
            Node inner = not();
            return rec -> !Boolean.TRUE.equals(inner.apply(rec));
        }
        return comparison();
    }

    private Node comparison() {
        Node left = atom();
        String op = peek();
        if (op != null && List.of("=", "==", "!=", "<>", "<", "<=", ">", ">=").contains(op)) {
            pos++;
            Node right = atom();
            return rec -> compare(op, left.apply(rec), right.apply(rec));
        }
        return left;
    }

    private static Object compare(String op, Object a, Object b) {
        if (a == null || b == null) {
            return switch (op) {
                case "=", "==" -> a == b;
                case "!=", "<>" -> a != b;
                default -> false;
            };
        }
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            c = Boolean.compare(x, y);
        } else {
            c = a.toString().compareTo(b.toString());
        }
        return switch (op) {
            case "=", "==" -> c == 0;
            case "!=", "<>" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private Node atom() {
        String t = peek();
        if (t == null) {
            throw error("unexpected end");
        }
        pos++;
        if (t.equals("(")) {
            Node inner = or();
            expect(")");
            return inner;
        }
        if (t.startsWith("'") || t.startsWith("\"")) {
            String value = t.substring(1, t.length() - 1);
            return rec -> value;
        }
        if (t.matches("-?\\d+(\\.\\d+)?")) {
            double value = Double.parseDouble(t);
            return rec -> value;
        }
        switch (t.toUpperCase(Locale.ROOT)) {
            case "TRUE":
                return rec -> Boolean.TRUE;
            case "FALSE":
                return rec -> Boolean.FALSE;
            case "NULL":
                return rec -> null;
            default:
                break;
        }
        if ("(".equals(peek())) {
            return function(t.toUpperCase(Locale.ROOT));
        }
        String field = t;
        return rec -> rec.get(field);
    }

    private Node function(String name) {
        expect("(");
        List<Node> args = new ArrayList<>();
        if (!accept(")")) {
            do {
                args.add(or());
            } while (accept(","));
            expect(")");
        }
        int arity = switch (name) {
            case "ISBLANK", "LEN" -> 1;
            case "BEGINS", "CONTAINS", "ISPICKVAL" -> 2;
            default -> throw error("unknown function " + name);
        };
        if (args.size() != arity) {
            throw error(name + " takes " + arity + " argument(s)");
        }
        Node a = args.get(0);
        Node b = arity > 1 ? args.get(1) : null;
        return switch (name) {
            case "ISBLANK" -> rec -> {
                Object v = a.apply(rec);
                return v == null || v.toString().isEmpty();
            };
            case "LEN" -> rec -> {
                Object v = a.apply(rec);
                return v == null ? 0.0 : (double) v.toString().length();
            };
            case "BEGINS" -> rec -> {
                Object v = a.apply(rec);
                Object p = b.apply(rec);
                return v != null && p != null && v.toString().startsWith(p.toString());
            };
            case "CONTAINS" -> rec -> {
                Object v = a.apply(rec);
                Object p = b.apply(rec);
                return v != null && p != null && v.toString().contains(p.toString());
            };
            default -> rec -> {
                Object v = a.apply(rec);
                Object p = b.apply(rec);
                return v != null && v.equals(p);
            };
        };
    }
}
