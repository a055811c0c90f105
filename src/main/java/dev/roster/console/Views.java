package dev.roster.console;

import java.util.List;

/** What the console's templates show: plain values, each escaped by the templates. */
public final class Views {
    private Views() {
    }

    /** A service's message as a sentence on a page: its first letter capitalised. */
    public static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /**
     * The frame of every page.
     *
     * @param nav    which menu entry is current
     * @param notice a short confirmation to show on top, or null
     */
    public record Chrome(String title, String login, String account, boolean master, String csrf, String nav,
                         String notice, String assets) {
        public Chrome withTitle(String title, String nav) {
            return new Chrome(title, login, account, master, csrf, nav, notice, assets);
        }

        public String css() {
            return "/console/assets/app.css?v=" + assets;
        }

        public String js() {
            return "/console/assets/app.js?v=" + assets;
        }

        public String htmx() {
            return "/console/assets/htmx-" + Assets.HTMX_VERSION + ".min.js";
        }
    }

    public record SignIn(String login, String account, boolean askAccount, String error, String csrf, String assets) {
    }

    public record Bar(String label, long value, int width, int y, String css) {
    }

    /** The subscription statuses of one channel over every database, as horizontal bars. */
    public record Chart(String channel, long all, List<Bar> bars, int height) {
    }

    public record DatabaseSummary(long id, String name, String description, long profiles) {
    }

    public record Overview(List<DatabaseSummary> databases, List<Chart> charts, boolean canCreate, long profiles) {
    }

    public record Field(String name, String title, String type, String category, boolean unique) {
    }

    public record ProfileRow(String id, String email, String phones, String name, String updated) {
    }

    /** One row of the filter form, with what it offers. */
    public record FilterRow(int index, String field, String op, String value) {
    }

    public record Option(String value, String label) {
    }

    public record Filter(List<FilterRow> rows, String join, List<Option> fields, List<Option> ops, String query,
                         String error, boolean active, Long count) {
    }

    /**
     * The database page.
     *
     * @param mode      "browse" (every profile), "search" (one found by a key) or "filter"
     * @param nextFrom  where the next page of results starts (URL-encoded: a profiles/list cursor is opaque), or null
     *                  on the last page
     * @param pageQuery the query string of the current search or filter, for the paging links
     */
    public record Database(long id, String name, String description, List<Field> fields, long count, String q,
                           String mode, String message, List<ProfileRow> rows, String nextFrom, String pageQuery,
                           Filter filter, boolean canEditFields, List<String> fieldTypes, String fieldError,
                           boolean canWrite, List<Segment> segments, String segmentError, String segmentName,
                           String exportQuery) {
        /** Segments are managed by those who change the catalog (catalog.write), as through the API. */
        public boolean canManageSegments() {
            return canEditFields;
        }

        public List<Segment> staticSegments() {
            return segments.stream().filter(Segment::isStatic).toList();
        }

        /** The filter's query when it ran: what a dynamic segment or an addition to a static one takes. */
        public String filterQuery() {
            return mode.equals("filter") && filter.error() == null ? filter.query() : null;
        }
    }

    /** A segment in the database page's list; {@code count} null when it could not be read in time. */
    public record Segment(long id, String name, String type, Long count, String query) {
        public boolean isStatic() {
            return "static".equals(type);
        }
    }

    /** A segment on a profile's page: whether the profile is a member. */
    public record Membership(long id, String name, String type, boolean member) {
        public boolean isStatic() {
            return "static".equals(type);
        }
    }

    /** One resource's subscriptions of one channel among a segment's profiles, a count per status. */
    public record CounterRow(long resourceId, String resourceName, String channel, List<Long> counts) {
    }

    public record SegmentPage(long dbId, String dbName, long id, String name, String type, String query, Long count,
                              List<ProfileRow> rows, String nextFrom, List<String> statuses,
                              List<CounterRow> counters, boolean canManage) {
        public boolean isStatic() {
            return "static".equals(type);
        }
    }

    /** A confirmation page: what will happen, the form that does it and the way back. */
    public record Confirm(String heading, String text, String action, String cancel, String button) {
    }

    /** A resource's edit form: the values as sent, and an error next to the field it names. */
    public record ResourceEdit(long id, String name, List<Option> channels, List<String> checkedChannels,
                               List<Option> databases, List<String> checkedDatabases, String nameError,
                               String channelsError, String databasesError, String error) {
    }

    public record ImportJob(long dbId, String dbName, String id, String fileName, boolean done, String error,
                            long rows, long imported, long rejected, long bytesRead, long bytesTotal, int percent,
                            long seconds) {
    }

    /**
     * A field of the profile form.
     *
     * @param input "text", "textarea" or "bool"
     */
    public record FieldInput(String name, String title, String type, String value, String input, String error,
                             String hint, boolean standard) {
        /** Shown at once: a custom field, a standard one with a value, or one with an error. */
        public boolean primary() {
            return !standard || !value.isEmpty() || error != null;
        }
    }

    public record Key(String label, String value) {
    }

    public record SubscriptionRow(String hashId, String channel, String address, String status, boolean deleted) {
    }

    public record ResourceSubscriptions(long resourceId, String resourceName, List<SubscriptionRow> rows) {
    }

    public record HistoryRow(String at, String action, String by, String detail) {
    }

    public record Profile(long dbId, String dbName, String id, String title, List<FieldInput> fields, String formError,
                          List<Key> keys, List<ResourceSubscriptions> subscriptions, List<String> statuses,
                          List<HistoryRow> history, String historyNext, String created, String updated,
                          boolean canDelete, boolean canWrite, List<Membership> segments, boolean canManageSegments,
                          boolean historyFirst) {
        public List<Membership> joinable() {
            return segments.stream().filter(m -> m.isStatic() && !m.member()).toList();
        }
    }

    public record Resource(long id, String name, String channels, String databases) {
    }

    public record Resources(List<Resource> rows, List<String> channels, List<Option> databases, boolean canCreate,
                            String error) {
    }

    public record Token(long id, String name, String user, String permissions, String databases, String created,
                        String lastUsed, String revoked) {
    }

    public record Tokens(List<Token> rows, List<Option> permissions, List<Option> databases, String secret,
                         String secretName, String error) {
    }

    public record User(long id, String login, boolean master, String created) {
    }

    public record Users(List<User> rows, String newLogin, String newPassword, String error) {
    }

    public record AuditRow(String at, String by, String action, String object) {
    }

    public record Audit(List<AuditRow> rows, Long before) {
    }

    public record Message(String heading, String text, String back, String backLabel) {
    }

    public record ConfirmDelete(long dbId, String id, String title) {
    }

    public record Password(String error, boolean done) {
    }
}
