package dev.roster.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.catalog.CatalogModel;
import dev.roster.catalog.SubscriptionCounts;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.segment.SegmentModel;
import dev.roster.segment.SegmentService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A database's segments: create (static, or dynamic from the filter's query), open one (its members page by page and
 * its subscription counters), change a static one's members, delete. Each action calls the segment service the
 * segments/* API methods call; managing segments needs catalog.write, as there.
 */
final class SegmentRoutes {
    private static final List<String> STATUSES = List.of("subscribed", "unsubscribed", "complained", "hardbounced",
            "unconfirmed", "suspended", "invalid");
    /** The most segments whose membership a profile page checks (one count each). */
    private static final int MEMBERSHIP_CHECKS = 50;

    private final ConsoleRoutes.Services s;
    private final PageRoutes pages;

    SegmentRoutes(ConsoleRoutes.Services services, PageRoutes pages) {
        this.s = services;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get("/console/db/{db}/segments/{seg}", pages.signedIn("overview", this::page));
        routes.get("/console/db/{db}/segments/{seg}/export", pages.signedIn("overview", this::export));
        routes.post("/console/db/{db}/add-to-segment", pages.signedIn("overview", this::add));
        routes.post("/console/db/{db}/segments/{seg}/remove", pages.signedIn("overview", this::remove));
        routes.get("/console/db/{db}/segments/{seg}/delete", pages.signedIn("overview", (ctx, caller, chrome) -> {
            caller.require(Permission.CATALOG_WRITE);
            SegmentModel.Segment segment = segment(ctx, caller);
            String at = "/console/db/" + segment.dbId() + "/segments/" + segment.id();
            pages.render(ctx, 200, "confirm.jte", chrome.withTitle("Delete segment", "overview"), new Views.Confirm(
                    "Delete the segment " + segment.name() + "?", "The segment is deleted; its "
                    + segment.profilesCount() + " profiles stay in the database.", at + "/delete", at, "Delete segment"));
        }));
        routes.post("/console/db/{db}/segments/{seg}/delete", pages.signedIn("overview", this::delete));
    }

    /** The segment of the path, in the database of the path (else not found), with its member count. */
    private SegmentModel.Segment segment(Context ctx, Caller caller) {
        long dbId = PageRoutes.pathId(ctx, "db");
        SegmentModel.Segment segment = s.segments().get(caller, PageRoutes.pathId(ctx, "seg"));
        if (segment.dbId() != dbId) {
            throw RosterException.notFound("segment " + segment.id() + " not found in database " + dbId);
        }
        return segment;
    }

    /** The database page's list: every segment of the database with its member count. */
    List<Views.Segment> ofDatabase(Caller caller, long dbId) {
        List<Views.Segment> out = new ArrayList<>();
        for (SegmentModel.Segment row : s.segments().list(caller, dbId)) {
            Long count;
            try {
                count = s.segments().get(caller, row.id()).profilesCount();
            } catch (RosterException e) {
                count = null; // a dynamic segment whose query ran past the statement limit: shown without a count
            }
            out.add(new Views.Segment(row.id(), row.name(), row.type(), count, row.query() == null ? null
                    : Json.write(row.query())));
        }
        return out;
    }

    /** The profile page's list: the database's segments, which hold the profile, and whether it can join or leave. */
    List<Views.Membership> ofProfile(Caller caller, long dbId, String profileId) {
        ObjectNode byId = Json.object().put("id", profileId);
        List<Views.Membership> out = new ArrayList<>();
        for (SegmentModel.Segment row : s.segments().list(caller, dbId)) {
            if (out.size() == MEMBERSHIP_CHECKS) {
                break;
            }
            boolean member;
            try {
                member = s.search().count(caller, dbId, row.id(), byId) > 0;
            } catch (RosterException e) {
                continue;
            }
            out.add(new Views.Membership(row.id(), row.name(), row.type(), member));
        }
        return out;
    }

    /** Creates the segment of the database page's form; a refusal is thrown for that page to show. */
    void create(Context ctx, Caller caller) {
        caller.require(Permission.CATALOG_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        String type = "dynamic".equals(ctx.formParam("type")) ? "dynamic" : "static";
        JsonNode query = null;
        if (type.equals("dynamic")) {
            String text = Optional.ofNullable(ctx.formParam("query")).orElse("").strip();
            if (text.isEmpty()) {
                throw RosterException.badRequest("a dynamic segment is the current filter's query: apply a filter first");
            }
            query = readQuery(text);
        }
        long id = s.segments().create(caller, new SegmentModel.NewSegment(dbId, ctx.formParam("name"), type, query));
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "/segments/" + id + "?ok=segment");
    }

    private static JsonNode readQuery(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw RosterException.invalid("query", "a JSON query document", "text that is not JSON");
        }
    }

    private void page(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.PROFILES_READ);
        SegmentModel.Segment segment = segment(ctx, caller);
        long dbId = segment.dbId();
        CatalogModel.Database db = s.databases().get(caller, dbId);
        String after = ctx.queryParam("after");
        ProfileSearch.Found found = s.search().list(caller, dbId, segment.id(), null, null, after, DatabaseRoutes.PAGE);
        List<Views.ProfileRow> rows = found.profiles().stream().map(DatabaseRoutes::row).toList();

        List<Views.CounterRow> counters = new ArrayList<>();
        for (CatalogModel.ResourceRow r : s.resources().list(caller, 0, 1000).rows()) {
            CatalogModel.Resource full = s.resources().get(caller, r.id());
            if (full.dbsIds() != null && !full.dbsIds().isEmpty() && !full.dbsIds().contains(dbId)) {
                continue; // the resource does not serve this database
            }
            for (Object o : s.segments().counters(caller, segment.id(), r.id(), dbId)) {
                SubscriptionCounts.ChannelCounts c = (SubscriptionCounts.ChannelCounts) o;
                List<Long> values = STATUSES.stream().map(st -> c.status().getOrDefault(st, 0L)).toList();
                counters.add(new Views.CounterRow(r.id(), r.name(), c.channel(), values));
            }
        }
        pages.render(ctx, 200, "segment.jte", chrome.withTitle(segment.name(), "overview"), new Views.SegmentPage(
                dbId, db.name(), segment.id(), segment.name(), segment.type(),
                segment.query() == null ? null : Json.write(segment.query()), segment.profilesCount(), rows,
                found.nextFromId() == null ? null : DatabaseRoutes.enc(found.nextFromId()), STATUSES, counters,
                caller.can(Permission.CATALOG_WRITE)));
    }

    private void export(Context ctx, Caller caller, Views.Chrome chrome) throws Exception {
        caller.require(Permission.PROFILES_READ);
        SegmentModel.Segment segment = segment(ctx, caller);
        DatabaseRoutes.Format format = DatabaseRoutes.Format.of(ctx.queryParam("format"));
        DatabaseRoutes.download(ctx, s, caller, new dev.roster.bulk.Exports.Request("segment", segment.id(),
                format.wire(), null), "segment-" + segment.id(), format);
    }

    /**
     * Static membership: the profile of the form ({@code profile_id}, from its page), or every profile the filter's
     * query matches ({@code query}, from the database page; at most the 10,000 a change takes).
     */
    private void add(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        long segmentId;
        try {
            segmentId = Long.parseLong(Optional.ofNullable(ctx.formParam("segment")).orElse("").strip());
        } catch (NumberFormatException e) {
            throw RosterException.badRequest("choose a static segment");
        }
        String profileId = ctx.formParam("profile_id");
        if (profileId != null && !profileId.isBlank()) {
            s.segments().addProfiles(caller, segmentId, List.of(profileId.strip()));
            PageRoutes.redirect(ctx, "/console/db/" + dbId + "/p/" + profileId.strip() + "?ok=members");
            return;
        }
        String text = Optional.ofNullable(ctx.formParam("query")).orElse("").strip();
        if (text.isEmpty()) {
            throw RosterException.badRequest("apply a filter first: its profiles are added to the segment");
        }
        if (!(readQuery(text) instanceof ObjectNode query)) {
            throw RosterException.invalid("query", "a JSON query document", "another JSON value");
        }
        List<String> ids = new ArrayList<>();
        String from = null;
        do {
            ProfileSearch.Found page = s.search().list(caller, dbId, null, query, List.of("id"), from, 1000);
            page.profiles().forEach(p -> ids.add(p.path("id").asText()));
            from = page.nextFromId();
            if (ids.size() > SegmentService.MAX_PROFILE_IDS) {
                throw RosterException.badRequest("the filter matches more than " + SegmentService.MAX_PROFILE_IDS
                        + " profiles, more than one change takes: narrow it, or make a dynamic segment of it");
            }
        } while (from != null);
        if (ids.isEmpty()) {
            throw RosterException.badRequest("the filter matches no profile: nothing was added");
        }
        s.segments().addProfiles(caller, segmentId, ids);
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "/segments/" + segmentId + "?ok=members");
    }

    private void remove(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        long segmentId = PageRoutes.pathId(ctx, "seg");
        String profileId = Optional.ofNullable(ctx.formParam("profile_id")).orElse("").strip();
        if (profileId.isEmpty()) {
            throw RosterException.missing("profile_id");
        }
        s.segments().removeProfiles(caller, segmentId, List.of(profileId));
        // back where the button was: the profile's page or the segment's
        PageRoutes.redirect(ctx, "profile".equals(ctx.formParam("back"))
                ? "/console/db/" + dbId + "/p/" + profileId + "?ok=members"
                : "/console/db/" + dbId + "/segments/" + segmentId + "?ok=members");
    }

    private void delete(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        SegmentModel.Segment segment = segment(ctx, caller);
        s.segments().delete(caller, segment.id());
        PageRoutes.redirect(ctx, "/console/db/" + segment.dbId() + "?ok=segment-deleted#segments");
    }

    static boolean refusal(RosterException e) {
        return e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.CONFLICT;
    }
}
