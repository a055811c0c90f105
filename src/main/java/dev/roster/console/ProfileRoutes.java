package dev.roster.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.catalog.CatalogModel;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import dev.roster.history.HistoryModel;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel;
import dev.roster.subscription.SubscriptionModel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile's page: its fields edited through profiles/update's validation (an error is shown next to the field it
 * names), its identity keys, its subscriptions per resource with a status to change, its history, and delete.
 */
final class ProfileRoutes {
    private static final int HISTORY_PAGE = 20;
    private static final Pattern CURSOR = Pattern.compile("(\\d+):(\\d+)");
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
    private static final List<String> STATUSES = List.of("subscribed", "unsubscribed", "complained", "hardbounced",
            "unconfirmed", "suspended", "invalid");

    private final ConsoleRoutes.Services s;
    private final PageRoutes pages;
    private final SegmentRoutes segments;

    ProfileRoutes(ConsoleRoutes.Services services, PageRoutes pages, SegmentRoutes segments) {
        this.s = services;
        this.pages = pages;
        this.segments = segments;
    }

    void register(RoutesConfig routes) {
        routes.get("/console/db/{db}/p/{id}", pages.signedIn("overview", (ctx, caller, chrome) ->
                page(ctx, caller, chrome, 200, Map.of(), Map.of(), null)));
        routes.post("/console/db/{db}/p/{id}", pages.signedIn("overview", this::save));
        routes.post("/console/db/{db}/p/{id}/subscription", pages.signedIn("overview", this::setStatus));
        routes.get("/console/db/{db}/p/{id}/delete", pages.signedIn("overview", (ctx, caller, chrome) -> {
            ObjectNode profile = profile(ctx, caller);
            pages.render(ctx, 200, "confirmdelete.jte", chrome.withTitle("Delete profile", "overview"),
                    new Views.ConfirmDelete(PageRoutes.pathId(ctx, "db"), profile.path("id").asText(), title(profile)));
        }));
        routes.post("/console/db/{db}/p/{id}/delete", pages.signedIn("overview", this::delete));
    }

    private ProfileModel.Lookup lookup(Context ctx) {
        return new ProfileModel.Lookup(PageRoutes.pathId(ctx, "db"), ProfileModel.MatchRequest.byProfileId(ctx.pathParam("id")));
    }

    private ObjectNode profile(Context ctx, Caller caller) {
        return s.profiles().get(caller, lookup(ctx));
    }

    /**
     * @param sent   the form's values as sent, shown again after a refusal so nothing typed is lost
     * @param errors field name to the error shown next to it
     */
    private void page(Context ctx, Caller caller, Views.Chrome chrome, int status, Map<String, String> sent,
                      Map<String, String> errors, String formError) {
        long dbId = PageRoutes.pathId(ctx, "db");
        CatalogModel.Database db = s.databases().get(caller, dbId);
        ObjectNode profile = profile(ctx, caller);
        String id = profile.path("id").asText();
        List<CatalogModel.FieldInfo> infos = s.databases().fields(caller, dbId);

        List<Views.FieldInput> fields = new ArrayList<>();
        for (CatalogModel.FieldInfo f : infos) {
            String value = sent.containsKey(f.name()) ? sent.get(f.name()) : shown(profile.get(f.name()));
            String input = switch (f.type()) {
                case "bool" -> "bool";
                case "object", "arr_object" -> "textarea";
                default -> "text";
            };
            String hint = switch (f.type()) {
                case "phones" -> "numbers separated by commas";
                case "tags" -> "tags separated by commas";
                case "date" -> "YYYY-MM-DD or RFC 3339";
                case "object", "arr_object" -> "JSON";
                case "enum" -> f.options() == null ? null : String.join(", ", f.options());
                default -> null;
            };
            fields.add(new Views.FieldInput(f.name(), f.title(), f.type(), value, input, errors.get(f.name()), hint,
                    !"custom".equals(f.category())));
        }

        List<Views.Key> keys = new ArrayList<>();
        keys.add(new Views.Key("id", id));
        if (profile.hasNonNull("email")) {
            keys.add(new Views.Key("email", profile.path("email").asText()));
        }
        profile.path("phones").forEach(p -> keys.add(new Views.Key("phone", p.asText())));
        infos.stream().filter(f -> f.unique() && "custom".equals(f.category()) && profile.hasNonNull(f.name()))
                .forEach(f -> keys.add(new Views.Key(f.name(), shown(profile.get(f.name())))));

        Map<Long, String> resourceNames = new HashMap<>();
        s.resources().list(caller, 0, 1000).rows().forEach(r -> resourceNames.put(r.id(), r.name()));
        Map<Long, List<Views.SubscriptionRow>> byResource = new LinkedHashMap<>();
        for (JsonNode sub : profile.path("subscriptions")) {
            String channel = sub.path("channel").asText();
            if (channel.equals("push")) {
                keys.add(new Views.Key("push", sub.path("push_data").path("provider").asText() + " "
                        + sub.path("push_data").path("subscription_id").asText()));
            }
            byResource.computeIfAbsent(sub.path("resource_id").asLong(), r -> new ArrayList<>())
                    .add(new Views.SubscriptionRow(sub.path("hash_id").asText(), channel, address(sub),
                            sub.path("status").asText(), sub.path("is_delete").asBoolean()));
        }
        List<Views.ResourceSubscriptions> subscriptions = new ArrayList<>();
        byResource.forEach((resourceId, rows) -> subscriptions.add(new Views.ResourceSubscriptions(resourceId,
                resourceNames.getOrDefault(resourceId, ""), rows)));

        HistoryModel.Cursor from = cursor(ctx.queryParam("history"));
        HistoryModel.Page history = s.history().ofProfile(caller, new HistoryModel.ProfileQuery(dbId,
                profile.path("_xxh").asText(), null, HistoryModel.Period.ALL, from, HISTORY_PAGE));
        List<Views.HistoryRow> events = history.rows().stream().map(e -> new Views.HistoryRow(
                e.path("datetime").asText(), e.path("action").asText(), e.path("token_name").asText(), detail(e)))
                .toList();
        String next = history.rows().size() == HISTORY_PAGE ? history.next().wire() : null;

        pages.render(ctx, status, "profile.jte", chrome.withTitle(title(profile), "overview"), new Views.Profile(dbId,
                db.name(), id, title(profile), fields, formError, keys, subscriptions, STATUSES, events, next,
                profile.path("_createtime").asText(), profile.path("_updatetime").asText(),
                caller.can(Permission.PROFILES_DELETE), caller.can(Permission.PROFILES_WRITE),
                segments.ofProfile(caller, dbId, id), caller.can(Permission.CATALOG_WRITE), from != HistoryModel.Cursor.START));
    }

    private static HistoryModel.Cursor cursor(String text) {
        if (text != null) {
            Matcher m = CURSOR.matcher(text);
            if (m.matches()) {
                return new HistoryModel.Cursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        return HistoryModel.Cursor.START;
    }

    private static String detail(JsonNode event) {
        StringBuilder out = new StringBuilder();
        JsonNode sub = event.path("subscription");
        if (!sub.isMissingNode()) {
            out.append(sub.path("channel").asText()).append(" #").append(sub.path("resource_id").asText());
            String name = sub.path("resource_name").asText("");
            if (!name.isEmpty()) {
                out.append(' ').append(name);
            }
            out.append(": ");
        }
        JsonNode detail = event.path("detail");
        if (!detail.isMissingNode()) {
            String text = detail.toString();
            out.append(text.length() > 300 ? text.substring(0, 297) + "..." : text);
        }
        return out.toString();
    }

    static String title(ObjectNode profile) {
        String name = (profile.path("_fname").asText("") + " " + profile.path("_lname").asText("")).strip();
        if (!name.isEmpty()) {
            return name;
        }
        String email = profile.path("email").asText("");
        return email.isEmpty() ? "Profile " + profile.path("id").asText() : email;
    }

    private static String address(JsonNode sub) {
        return switch (sub.path("channel").asText()) {
            case "email" -> sub.path("email_data").path("email").asText();
            case "sms" -> sub.path("sms_data").path("phone").asText();
            case "push" -> sub.path("push_data").path("provider").asText() + " "
                    + sub.path("push_data").path("subscription_id").asText();
            default -> sub.path("cc_data").toString();
        };
    }

    /** A stored value as the form shows it: lists joined by commas, objects as JSON. */
    static String shown(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isArray() && value.size() > 0 && !value.get(0).isContainerNode()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return String.join(", ", parts);
        }
        if (value.isArray() && value.isEmpty()) {
            return "";
        }
        return value.isContainerNode() ? value.toString() : value.asText();
    }

    /**
     * Saves the fields whose text differs from what the form showed: an emptied field is cleared (null). The values
     * are sent as the API would get them and checked by the same code; a refusal that names a field is shown next to
     * it, and nothing is written.
     */
    private void save(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.PROFILES_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        List<CatalogModel.FieldInfo> infos = s.databases().fields(caller, dbId);
        ObjectNode data = Json.object();
        Map<String, String> sent = new HashMap<>();
        for (CatalogModel.FieldInfo f : infos) {
            String value = ctx.formParam("f." + f.name());
            String before = ctx.formParam("o." + f.name());
            if (value == null || before == null) {
                continue;
            }
            sent.put(f.name(), value);
            if (!value.strip().equals(before.strip())) {
                data.set(f.name(), typed(f.type(), value.strip()));
            }
        }
        if (data.isEmpty()) {
            PageRoutes.redirect(ctx, ctx.path() + "?ok=unchanged");
            return;
        }
        try {
            s.profiles().write(caller, new ProfileModel.WriteCommand(dbId, lookup(ctx).match(), data, false),
                    ProfileModel.WriteMode.UPDATE);
        } catch (RosterException e) {
            if (e.code() != ErrorCode.BAD_REQUEST && e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            Map<String, String> errors = new HashMap<>();
            Matcher m = QUOTED.matcher(Views.sentence(e.getMessage()));
            while (m.find()) {
                String named = m.group(1);
                if (data.has(named)) {
                    errors.put(named, Views.sentence(e.getMessage()));
                    break;
                }
            }
            page(ctx, caller, chrome, 400, sent, errors, errors.isEmpty() ? Views.sentence(e.getMessage()) : "Not saved: see the field marked below.");
            return;
        }
        PageRoutes.redirect(ctx, ctx.path() + "?ok=saved");
    }

    /** The form's text as the API would carry it for a field of that type. */
    static JsonNode typed(String type, String text) {
        if (text.isEmpty()) {
            return Json.MAPPER.nullNode();
        }
        switch (type) {
            case "phones", "tags" -> {
                ArrayNode list = Json.MAPPER.createArrayNode();
                for (String part : text.split(type.equals("phones") ? "[,;]" : ",")) {
                    if (!part.isBlank()) {
                        list.add(part.strip());
                    }
                }
                return list;
            }
            case "object", "arr_object" -> {
                try {
                    return Json.MAPPER.readTree(text);
                } catch (Exception e) {
                    return Json.MAPPER.getNodeFactory().textNode(text); // refused by the field's check, by name
                }
            }
            default -> {
                return FilterBuilder.typed(type, text);
            }
        }
    }

    private void setStatus(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.SUBSCRIPTIONS_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        ObjectNode profile = profile(ctx, caller);
        String hashId = ctx.formParam("hash_id");
        JsonNode sub = null;
        for (JsonNode candidate : profile.path("subscriptions")) {
            if (candidate.path("hash_id").asText().equals(hashId)) {
                sub = candidate;
            }
        }
        if (sub == null) {
            throw RosterException.notFound("the profile has no such subscription (it may have just changed)");
        }
        ObjectNode members = Json.object();
        members.put("resource_id", sub.path("resource_id").asLong());
        members.put("channel", sub.path("channel").asText());
        switch (sub.path("channel").asText()) {
            case "email" -> members.put("email", sub.path("email_data").path("email").asText());
            case "sms" -> members.put("phone", sub.path("sms_data").path("phone").asText());
            case "push" -> {
                members.put("provider", sub.path("push_data").path("provider").asText());
                members.put("subscription_id", sub.path("push_data").path("subscription_id").asText());
            }
            default -> members.set("cc_data", sub.path("cc_data").deepCopy());
        }
        members.put("status", ctx.formParam("status"));
        s.subscriptions().set(caller, new SubscriptionModel.One(dbId, profile.path("id").asText(), members));
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "/p/" + profile.path("id").asText() + "?ok=status");
    }

    private void delete(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.PROFILES_DELETE);
        long dbId = PageRoutes.pathId(ctx, "db");
        s.profiles().delete(caller, lookup(ctx));
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "?ok=deleted");
    }
}
