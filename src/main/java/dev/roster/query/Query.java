package dev.roster.query;

import java.util.List;

/**
 * A parsed profile query (docs/API.md "The query language"): a tree of conditions over typed fields whose values
 * are already in the stored, normalised form. Built by {@link QueryParser}, turned into SQL by {@link QuerySql}.
 */
public final class Query {
    private Query() {
    }

    /** Where a field's value comes from. */
    public enum Source {
        /** a member of the profile's data; {@link Field#name()} is the member */
        DATA,
        /** the profile's email, compared case-insensitively */
        EMAIL,
        /** the domain of the profile's email */
        EMAIL_DOMAIN,
        ID,
        CREATED,
        UPDATED,
        SUB_RESOURCE,
        SUB_CHANNEL,
        SUB_STATUS,
        SUB_EMAIL,
        SUB_PHONE,
        SUB_PROVIDER,
        SUB_SUBSCRIPTION_ID,
        SUB_PRIORITY,
        SUB_CATS
    }

    /** How values of a field compare. */
    public enum Kind {
        /** by code point; values are String */
        TEXT,
        /** by value; values are BigDecimal */
        NUMBER,
        /** values are Boolean */
        BOOL,
        /** as instants; values are the stored RFC 3339 text */
        DATE,
        /** as instants; values are epoch milliseconds (Long) */
        MILLIS,
        /** only $exists (and $size for arrays) */
        OPAQUE
    }

    /**
     * A field of the query. {@code array}: the condition holds when some element satisfies it (phones, tags, cats,
     * arr_object for $size).
     */
    public record Field(String name, Source source, Kind kind, boolean array) {
    }

    public enum Op {
        EQ, GT, GTE, LT, LTE, IN, EXISTS, REGEX, SIZE
    }

    public sealed interface Node permits All, Any, Not, Leaf, Elements, Subscriptions {
    }

    /** Every condition holds (true when empty). */
    public record All(List<Node> nodes) implements Node {
    }

    /** Some condition holds (false when empty). */
    public record Any(List<Node> nodes) implements Node {
    }

    public record Not(Node node) implements Node {
    }

    /**
     * One comparison. {@code values}: one value for EQ and the ranges, the list for IN, nothing for EXISTS (it means
     * "present"), the pattern for REGEX, the length (Integer) for SIZE.
     */
    public record Leaf(Field field, Op op, List<Object> values, boolean ignoreCase) implements Node {
    }

    /** {@code $elemMatch} over an array of scalars: one element satisfies every condition of {@code node}. */
    public record Elements(Field field, Node node) implements Node {
    }

    /** {@code subscriptions: {$elemMatch: ...}}: one subscription of the profile satisfies {@code node}. */
    public record Subscriptions(Node node) implements Node {
    }
}
