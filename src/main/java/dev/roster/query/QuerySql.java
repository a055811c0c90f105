package dev.roster.query;

import dev.roster.profile.Normalizer;
import dev.roster.profile.ProfileModel.StoredProfile;
import dev.roster.json.Json;
import dev.roster.query.Query.Field;
import dev.roster.query.Query.Kind;
import dev.roster.query.Query.Leaf;
import dev.roster.query.Query.Node;
import dev.roster.query.Query.Op;
import dev.roster.store.QuerySyntax;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * One SQL statement for a page (or the count) of a query's profiles: the query's tree becomes one WHERE clause over
 * the profile row's JSON, the key tables (email, phones) and the subscriptions table. A comparison with a missing
 * field is SQL null; negations turn it into false before negating, so that they mean "does not hold".
 */
final class QuerySql {
    private final QuerySyntax sql;
    private final long dbId;
    private final Map<String, Object> bindings = new LinkedHashMap<>();
    /** The email domain equality the page statement is driven by (its candidates come from the domain index). */
    private Leaf driver;

    private QuerySql(QuerySyntax sql, long dbId) {
        this.sql = sql;
        this.dbId = dbId;
    }

    /** Where the rows come from: the database's profiles, or a static segment's members among them. */
    record Scope(long dbId, Long staticSegmentId) {
    }

    private static String from(Scope scope) {
        return " from profiles p where " + scopeCondition(scope);
    }

    private static String scopeCondition(Scope scope) {
        // the database's id is written into the statement, so that a field's index (partial, per database) applies
        return "p.db_id = " + scope.dbId()
                + (scope.staticSegmentId() == null ? ""
                : " and p.id in (select m.profile_id from segment_members m where m.segment_id = "
                        + scope.staticSegmentId() + ")");
    }

    /** A top-level {@code _emaildomain} equality (alone or in an $and), which can drive a page through its index. */
    private static Leaf domainDriver(Node query) {
        List<Node> nodes = query instanceof Query.All all ? all.nodes() : List.of(query);
        for (Node n : nodes) {
            if (n instanceof Leaf leaf && leaf.field().source() == Query.Source.EMAIL_DOMAIN && leaf.op() == Op.EQ
                    && leaf.values().size() == 1 && leaf.values().get(0) instanceof String) {
                return leaf;
            }
        }
        return null;
    }

    /** The query's other conditions than its driving domain equality; null when there are none. */
    private static Node withoutDriver(Node query, Leaf driver) {
        if (query == driver) {
            return null;
        }
        List<Node> rest = new ArrayList<>(((Query.All) query).nodes());
        rest.remove(driver);
        return rest.isEmpty() ? null : new Query.All(rest);
    }

    /**
     * Whether the profile's own email is of the domain: its case-insensitive form (as the page shows it in
     * {@code _emaildomain}) after the '@'. Tested here rather than in the statement, where it would cost PostgreSQL
     * parsing each candidate's data again.
     */
    private static boolean ofDomain(String email, String domain) {
        if (email == null) {
            return false;
        }
        String key = Normalizer.emailKeyOfStored(email);
        return key.substring(key.lastIndexOf('@') + 1).equals(domain);
    }

    /** A profile of a page and its data's {@code email} member (null when absent). */
    record Row(StoredProfile profile, String email) {
        /**
         * The email read from the data in Java: PostgreSQL would parse each row's data (text) once more for
         * {@code ->>}, 2.5 ms of a page of 1,000 at 1,000,000 profiles (bench/RESULTS.md).
         */
        static Row of(StoredProfile profile) {
            return new Row(profile, Json.storedString(profile.data(), "email"));
        }
    }

    static List<Row> page(Handle h, QuerySyntax syntax, Scope scope, Node query, String afterId, int limit) {
        QuerySql q = new QuerySql(syntax, scope.dbId());
        q.driver = domainDriver(query);
        if (q.driver != null) {
            Node rest = withoutDriver(query, q.driver);
            return q.pageByDomain(h, scope, rest == null ? null : q.node(rest, null), afterId, limit);
        }
        String where = q.node(query, null);
        String text = "select p.id, p.db_id, p.data, p.created_at, p.updated_at" + from(scope) + (afterId == null ? "" : " and p.id > :after") + " and " + where + " order by p.id limit "
                + limit;
        var statement = h.createQuery(text);
        q.bindings.forEach(statement::bind);
        if (afterId != null) {
            statement.bind("after", afterId);
        }
        return statement.map((rs, ctx) -> Row.of(new StoredProfile(rs.getString(1), rs.getLong(2), rs.getString(3),
                rs.getLong(4), rs.getLong(5)))).list();
    }

    private record Candidate(String id, boolean matches, Row row) {
    }

    /**
     * A page driven by an {@code _emaildomain} equality: the holders of an email key of the domain, read in id order
     * from the domain index (which ends with the profile id) a batch at a time, each tested against the whole query
     * (the profile's own email decides), until the page is full. A domain held by 20,000 profiles costs a page, not
     * 20,000 index entries and a sort. The batches keep the planners from reading every holder: with the test in the
     * statement's WHERE clause, PostgreSQL estimated a few matches and sorted all 20,000 (587 ms at 1,000,000
     * profiles), and SQLite sorted a DISTINCT subquery whole.
     */
    private List<Row> pageByDomain(Handle h, Scope scope, String rest, String afterId, int limit) {
        String value = (String) driver.values().get(0);
        String domain = bind(value);
        List<Row> out = new ArrayList<>();
        String from = afterId;
        int batch = limit;
        // the keys of the database are its profiles' keys: the scope needs a test only for a segment's members
        String test = scope.staticSegmentId() == null ? rest : scopeCondition(scope) + (rest == null ? "" : " and " + rest);
        while (true) {
            String text = "select c.profile_id, " + (test == null ? "1" : "case when " + test + " then 1 else 0 end")
                    + ", p.db_id, p.data, p.created_at, p.updated_at"
                    + " from (select distinct k.profile_id from profile_keys k where k.db_id = " + dbId
                    + " and k.kind = 'email' and " + sql.emailDomain("k.value") + " = :" + domain
                    + (from == null ? "" : " and k.profile_id > :after") + " order by k.profile_id limit " + batch
                    + ") c join profiles p on p.id = c.profile_id order by c.profile_id";
            var statement = h.createQuery(text);
            bindings.forEach(statement::bind);
            if (from != null) {
                statement.bind("after", from);
            }
            List<Candidate> candidates = statement.map((rs, ctx) -> new Candidate(rs.getString(1), rs.getInt(2) == 1,
                    Row.of(new StoredProfile(rs.getString(1), rs.getLong(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6))))).list();
            for (Candidate c : candidates) {
                if (c.matches() && ofDomain(c.row().email(), value)) {
                    out.add(c.row());
                    if (out.size() == limit) {
                        return out;
                    }
                }
            }
            if (candidates.size() < batch) {
                return out;
            }
            from = candidates.get(candidates.size() - 1).id();
            batch = Math.min(batch * 4, 20_000);
        }
    }

    static long count(Handle h, QuerySyntax syntax, Scope scope, Node query) {
        QuerySql q = new QuerySql(syntax, scope.dbId());
        String where = q.node(query, null);
        var statement = h.createQuery("select count(*)" + from(scope) + " and " + where);
        q.bindings.forEach(statement::bind);
        return statement.mapTo(Long.class).one();
    }

    /** The subscriptions of one resource of the query's profiles, by channel, status and soft deletion. */
    static List<dev.roster.catalog.CounterService.Count> subscriptionCounts(Handle h, QuerySyntax syntax, Scope scope,
                                                                          Node query, long resourceId) {
        QuerySql q = new QuerySql(syntax, scope.dbId());
        String where = q.node(query, null);
        var statement = h.createQuery("select s.channel, s.status, s.is_delete, count(*) from subscriptions s "
                + "where s.resource_id = :resource and s.db_id = " + scope.dbId() + " and s.profile_id in (select p.id"
                + from(scope) + " and " + where + ") group by s.channel, s.status, s.is_delete");
        q.bindings.forEach(statement::bind);
        statement.bind("resource", resourceId);
        return statement.map((rs, ctx) -> new dev.roster.catalog.CounterService.Count(rs.getString(1), rs.getInt(2),
                rs.getBoolean(3), rs.getLong(4))).list();
    }

    /** The plan the store would use for the page statement (for tests and the bench). */
    static List<String> explain(Handle h, QuerySyntax syntax, Scope scope, Node query) {
        QuerySql q = new QuerySql(syntax, scope.dbId());
        String where = q.node(query, null);
        var statement = h.createQuery(syntax.explain("select p.id" + from(scope) + " and " + where
                + " order by p.id limit 1000"));
        q.bindings.forEach(statement::bind);
        return statement.map((rs, ctx) -> {
            int n = rs.getMetaData().getColumnCount();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                cols.add(String.valueOf(rs.getObject(i)));
            }
            return String.join(" ", cols);
        }).list();
    }

    private String bind(Object value) {
        String name = "q" + bindings.size();
        bindings.put(name, value);
        return name;
    }

    /**
     * The condition as SQL. {@code element}: inside $elemMatch over an array of values, the SQL of the element
     * being tested; null elsewhere.
     */
    private String node(Node node, String element) {
        return switch (node) {
            case Query.All all -> all.nodes().isEmpty() ? sql.bool(true) : all.nodes().stream()
                    .map(n -> node(n, element)).collect(Collectors.joining(" and ", "(", ")"));
            case Query.Any any -> any.nodes().isEmpty() ? sql.bool(false) : any.nodes().stream()
                    .map(n -> node(n, element)).collect(Collectors.joining(" or ", "(", ")"));
            // a condition on a missing field is SQL null, which a WHERE clause takes for false, as the query language
            // does, everywhere but under a negation: there it is made false first
            case Query.Not not -> "(not coalesce(" + node(not.node(), element) + ", " + sql.bool(false) + "))";
            case Query.Subscriptions subs -> "exists (select 1 from subscriptions s where s.profile_id = p.id and "
                    + node(subs.node(), null) + ")";
            case Query.Elements elements -> "exists (select 1 from " + elementsFrom(elements.field(), "e") + " where "
                    + node(elements.node(), "e.value") + ")";
            case Leaf leaf -> leaf(leaf, element);
        };
    }

    private String elementsFrom(Field field, String alias) {
        return field.source() == Query.Source.SUB_CATS ? sql.elementsOfColumn("s.cats", alias)
                : sql.elements("p.data", field.name(), alias);
    }

    private String leaf(Leaf leaf, String element) {
        Field f = leaf.field();
        if (leaf.op() == Op.EXISTS) {
            return exists(f);
        }
        if (leaf.op() == Op.SIZE) {
            if (f.source() == Query.Source.SUB_CATS) {
                return "((select count(*) from " + sql.elementsOfColumn("s.cats", "c") + ") = " + leaf.values().get(0)
                        + ")";
            }
            return "(" + sql.arrayLength("p.data", f.name()) + " = " + leaf.values().get(0) + ")";
        }
        if (element == null && f.array()) {
            String test = compare(leaf, sql.collated("e.value"), "e.value", Kind.TEXT);
            String exists = "exists (select 1 from " + elementsFrom(f, "e") + " where " + test + ")";
            if (f.source() == Query.Source.DATA && f.name().equals("phones") && leaf.op() != Op.REGEX) {
                exists = "(" + keyLookup("phone", leaf, true) + " and " + exists + ")";
            }
            return exists;
        }
        if (element != null) {
            return compare(leaf, sql.collated(element), element, Kind.TEXT);
        }
        String expression = expression(f);
        String test = "(" + compare(leaf, expression, raw(f), f.kind()) + ")";
        if (f.source() == Query.Source.EMAIL_DOMAIN && (leaf.op() == Op.EQ || leaf.op() == Op.IN) && leaf != driver) {
            // the domains of the email keys are indexed; the profile's own email decides
            test = "(" + domainLookup(leaf) + " and " + test + ")";
        }
        if (f.source() == Query.Source.EMAIL && leaf.op() != Op.REGEX) {
            // every profile's email is among the email keys (with its subscriptions' addresses): the key index finds
            // the candidates, the profile's own email decides
            test = "(" + keyLookup("email", leaf, false) + " and " + test + ")";
        }
        return test;
    }

    /** The profile's id among the holders of an email key of one of the domains. */
    private String domainLookup(Leaf leaf) {
        if (leaf.values().isEmpty()) {
            return sql.bool(false);
        }
        String list = leaf.values().stream().map(v -> ":" + bind(v)).collect(Collectors.joining(", ", "(", ")"));
        return "p.id in (select k.profile_id from profile_keys k where k.db_id = " + dbId + " and k.kind = 'email' and "
                + sql.emailDomain("k.value") + " in " + list + ")";
    }

    /**
     * The profile's id among the holders of a key (emails, phones) that satisfies the comparison: a superset of the
     * profiles whose own field does, found through the key tables' indexes (keys compare in code point order too).
     */
    private String keyLookup(String kind, Leaf leaf, boolean alsoShared) {
        List<Object> values = leaf.values();
        if (values.isEmpty()) {
            return sql.bool(false);
        }
        String test = switch (leaf.op()) {
            case IN -> " in " + values.stream().map(v -> ":" + bind(v)).collect(Collectors.joining(", ", "(", ")"));
            case EQ -> " = :" + bind(values.get(0));
            case GT -> " > :" + bind(values.get(0));
            case GTE -> " >= :" + bind(values.get(0));
            case LT -> " < :" + bind(values.get(0));
            case LTE -> " <= :" + bind(values.get(0));
            default -> throw new IllegalStateException(leaf.op().name());
        };
        String keys = "select k.profile_id from profile_keys k where k.db_id = " + dbId + " and k.kind = '" + kind
                + "' and k.value" + test;
        if (alsoShared) {
            keys += " union all select l.profile_id from profile_lookups l where l.db_id = " + dbId + " and l.kind = '"
                    + kind + "' and l.value" + test;
        }
        return "p.id in (" + keys + ")";
    }

    private String exists(Field f) {
        return switch (f.source()) {
            case DATA -> "(" + sql.has("p.data", f.name()) + ")";
            case EMAIL, EMAIL_DOMAIN -> "(" + sql.has("p.data", "email") + ")";
            case ID, CREATED, UPDATED, SUB_RESOURCE, SUB_CHANNEL, SUB_STATUS, SUB_CATS -> sql.bool(true);
            default -> "(" + expression(f) + " is not null)";
        };
    }

    /** The SQL of a scalar field in its comparable form (null when missing). */
    private String expression(Field f) {
        return switch (f.source()) {
            case DATA -> sql.comparable("p.data", f.name(), switch (f.kind()) {
                case NUMBER -> QuerySyntax.Kind.NUMBER;
                case BOOL -> QuerySyntax.Kind.BOOL;
                case DATE -> QuerySyntax.Kind.DATE;
                default -> QuerySyntax.Kind.TEXT;
            });
            case EMAIL -> sql.collated(sql.fold(sql.text("p.data", "email")));
            case EMAIL_DOMAIN -> sql.collated(sql.emailDomain(sql.fold(sql.text("p.data", "email"))));
            case ID -> "p.id";
            case CREATED -> "p.created_at";
            case UPDATED -> "p.updated_at";
            case SUB_RESOURCE -> "s.resource_id";
            case SUB_CHANNEL -> sql.collated("s.channel");
            case SUB_STATUS -> "s.status";
            case SUB_EMAIL -> sql.collated("(case when s.channel = 'email' then s.address end)");
            case SUB_PHONE -> sql.collated("(case when s.channel = 'sms' then s.address end)");
            case SUB_PROVIDER -> sql.collated("(case when s.channel = 'push' then " + sql.text("s.contact", "provider")
                    + " end)");
            case SUB_SUBSCRIPTION_ID -> sql.collated("(case when s.channel = 'push' then "
                    + sql.text("s.contact", "subscription_id") + " end)");
            case SUB_PRIORITY -> "s.priority";
            case SUB_CATS -> throw new IllegalStateException("cats is an array");
        };
    }

    /** The field as plain text for regular expressions. */
    private String raw(Field f) {
        return switch (f.source()) {
            case DATA -> sql.text("p.data", f.name());
            case EMAIL -> sql.fold(sql.text("p.data", "email"));
            case EMAIL_DOMAIN -> sql.emailDomain(sql.fold(sql.text("p.data", "email")));
            case SUB_CHANNEL -> "s.channel";
            case SUB_EMAIL -> "(case when s.channel = 'email' then s.address end)";
            case SUB_PHONE -> "(case when s.channel = 'sms' then s.address end)";
            case SUB_PROVIDER -> "(case when s.channel = 'push' then " + sql.text("s.contact", "provider") + " end)";
            case SUB_SUBSCRIPTION_ID -> "(case when s.channel = 'push' then " + sql.text("s.contact", "subscription_id")
                    + " end)";
            default -> expression(f);
        };
    }

    private boolean columnBacked(Field f) {
        return f.source() != Query.Source.DATA;
    }

    private String compare(Leaf leaf, String expression, String rawText, Kind kind) {
        Field f = leaf.field();
        if (leaf.op() == Op.REGEX) {
            return sql.regex(rawText, bind(leaf.values().get(0)), leaf.ignoreCase());
        }
        if (leaf.op() == Op.IN) {
            if (leaf.values().isEmpty()) {
                return sql.bool(false);
            }
            return expression + " in " + leaf.values().stream().map(v -> parameter(f, kind, v))
                    .collect(Collectors.joining(", ", "(", ")"));
        }
        String operator = switch (leaf.op()) {
            case EQ -> "=";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
            default -> throw new IllegalStateException(leaf.op().name());
        };
        return expression + " " + operator + " " + parameter(f, kind, leaf.values().get(0));
    }

    /** A bound value in the form the field's expression compares with. */
    private String parameter(Field f, Kind kind, Object value) {
        if (columnBacked(f) || kind == Kind.TEXT) {
            Object bound = value instanceof BigDecimal number ? numberForColumn(number) : value;
            return ":" + bind(bound);
        }
        return switch (kind) {
            case NUMBER -> sql.parameter(bind(sql.bindable(value, QuerySyntax.Kind.NUMBER)), QuerySyntax.Kind.NUMBER);
            case BOOL -> sql.parameter(bind(sql.bindable(value, QuerySyntax.Kind.BOOL)), QuerySyntax.Kind.BOOL);
            case DATE -> ":" + bind(QuerySyntax.dateKeyOf((String) value));
            default -> ":" + bind(value);
        };
    }

    /** Numbers compared with integer columns (resource id, status, priority): as long when whole, else as double. */
    private static Object numberForColumn(BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return number.doubleValue();
        }
    }
}
