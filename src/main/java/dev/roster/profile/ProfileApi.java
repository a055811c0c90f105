package dev.roster.profile;

import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.Deleted;
import dev.roster.profile.ProfileModel.Lookup;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import dev.roster.profile.ProfileModel.WriteResult;

/** {@code profiles/import|update|add|get|delete}. */
public final class ProfileApi {
    private ProfileApi() {
    }

    public static void register(ApiRegistry api, ProfileService profiles) {
        api.add("profiles/import", Permission.PROFILES_WRITE, p -> write(p, true, true),
                (caller, command) -> answer(profiles.write(caller, command, WriteMode.IMPORT), command, true));
        api.add("profiles/update", Permission.PROFILES_WRITE, p -> write(p, true, true),
                (caller, command) -> answer(profiles.write(caller, command, WriteMode.UPDATE), command, false));
        api.add("profiles/add", Permission.PROFILES_WRITE, p -> write(p, false, false),
                (caller, command) -> answer(profiles.write(caller, command, WriteMode.ADD), command, false));
        api.add("profiles/import_batch", Permission.PROFILES_WRITE, p -> batch(p, true),
                (caller, commands) -> Reply.empty().with("result", profiles.writeBatch(caller, commands, WriteMode.IMPORT)));
        api.add("profiles/update_batch", Permission.PROFILES_WRITE, p -> batch(p, true),
                (caller, commands) -> Reply.empty().with("result", profiles.writeBatch(caller, commands, WriteMode.UPDATE)));
        api.add("profiles/add_batch", Permission.PROFILES_WRITE, p -> batch(p, false),
                (caller, commands) -> Reply.empty().with("result", profiles.writeBatch(caller, commands, WriteMode.ADD)));
        api.addIntegration(ApiRegistry.QUICK_IMPORT, Permission.PROFILES_WRITE, ProfileApi::quickImport,
                (caller, command) -> answer(profiles.write(caller, command, WriteMode.IMPORT), command, true));
        api.add("profiles/get", Permission.PROFILES_READ, p -> new Lookup(p.requiredId("db_id"), match(p)),
                (caller, lookup) -> Reply.data(profiles.get(caller, lookup)));
        api.add("profiles/delete", Permission.PROFILES_DELETE, p -> new Lookup(p.requiredId("db_id"), match(p)),
                (caller, lookup) -> Reply.data(new Deleted(profiles.delete(caller, lookup))));
    }

    private static Reply answer(WriteResult result, WriteCommand command, boolean sayCreated) {
        Reply reply = Reply.empty().with("profile_id", result.profileId());
        if (sayCreated) {
            reply.with("created", result.created());
        }
        if (command.skipInvalidSubscriptions()) {
            reply.with("skipped_subscriptions", result.skipped());
        }
        return reply;
    }

    private static WriteCommand write(Params p, boolean matching, boolean requireData) {
        long dbId = p.requiredId("db_id");
        MatchRequest match = matching ? match(p) : MatchRequest.none();
        var data = p.optionalObject("data");
        if (data == null && requireData) {
            throw RosterException.missing("data");
        }
        boolean skipInvalid = p.flag("skip_invalid_subscriptions");
        // accepted for compatibility; Roster has no triggers and no geo database (see docs/API.md)
        p.optionalBool("skip_triggers");
        p.optionalBool("detect_geo");
        return new WriteCommand(dbId, match, data == null ? Json.object() : data, skipInvalid,
                p.optionalIdList("add_to_segments"), p.optionalIdList("remove_from_segments"));
    }

    /** Most items one batch method takes (docs/COMPATIBILITY.md, Limits). */
    static final int MAX_BATCH_ITEMS = 10_000;

    /**
     * A batch: one matching for all items ({@code matching}, {@code field_name}, {@code resource_id}); each item is a
     * profile's data and carries its own keys ({@code email}, {@code phones}, the custom field, or {@code id}).
     */
    private static java.util.List<WriteCommand> batch(Params p, boolean matching) {
        long dbId = p.requiredId("db_id");
        // a bad mode fails the request, not each item
        MatchRequest match = matching
                ? MatchRequest.byField(Matching.parseOrNull(p.optionalString("matching")), p.optionalString("field_name"),
                        p.optionalId("resource_id"))
                : MatchRequest.none();
        var items = p.raw("data");
        if (items == null) {
            throw RosterException.missing("data");
        }
        if (!items.isArray()) {
            throw RosterException.invalid("data", "an array of profiles", items);
        }
        if (items.size() > MAX_BATCH_ITEMS) {
            throw RosterException.tooLarge("batch of " + items.size() + " items is larger than the limit of "
                    + MAX_BATCH_ITEMS + " items; send several batches");
        }
        boolean skipInvalid = p.flag("skip_invalid_subscriptions");
        p.optionalBool("skip_triggers");
        p.optionalBool("detect_geo");
        // a batch's segments apply to each of its items
        java.util.List<Long> addTo = p.optionalIdList("add_to_segments");
        java.util.List<Long> removeFrom = p.optionalIdList("remove_from_segments");
        java.util.List<WriteCommand> commands = new java.util.ArrayList<>(items.size());
        for (var item : items) {
            // a non-object item fails on its own (it gets its error in the result), never the whole batch
            commands.add(new WriteCommand(dbId, match, item.isObject() ? (com.fasterxml.jackson.databind.node.ObjectNode) item
                    : null, skipInvalid, addTo, removeFrom));
        }
        return commands;
    }

    private static final java.util.Set<String> QUICK_CONTROLS =
            java.util.Set.of("token", "format", "db_id", "matching", "resource_id", "trigger_id", "workflow_id");

    /**
     * The quick import's flat parameters (docs/API.md, Quick import): every parameter that is not a control is a
     * profile field
     * ({@code phone} is one phone); with {@code resource_id} the email and phone also become subscriptions to that
     * resource, where it has the channel; {@code matching} is email (default), email_profile, phone, or a custom
     * field's name.
     */
    private static WriteCommand quickImport(Params p) {
        long dbId = p.requiredId("db_id");
        String matching = p.optionalString("matching");
        Long resourceId = p.optionalId("resource_id");
        for (String unsupported : new String[] {"trigger_id", "workflow_id"}) {
            if (p.has(unsupported)) {
                throw RosterException.badRequest("'" + unsupported + "' is not supported: Roster has no trigger "
                        + "campaigns or scenarios");
            }
            p.raw(unsupported);
        }
        var data = Json.object();
        String email = null;
        String phone = null;
        for (String name : p.names()) {
            if (QUICK_CONTROLS.contains(name)) {
                continue;
            }
            var value = p.raw(name);
            if (value == null) {
                continue;
            }
            if (name.equals("phone")) {
                phone = value.asText();
                data.set("phones", Json.array().add(phone));
            } else {
                if (name.equals("email")) {
                    email = value.asText();
                }
                data.set(name, value);
            }
        }
        if (data.isEmpty()) {
            throw RosterException.badRequest("at least one database field is needed (email, phone or another field)");
        }
        if (resourceId != null) {
            var subscriptions = data.putArray("subscriptions");
            if (email != null) {
                subscriptions.addObject().put("channel", "email").put("email", email).put("resource_id", resourceId);
            }
            if (phone != null) {
                subscriptions.addObject().put("channel", "sms").put("phone", phone).put("resource_id", resourceId);
            }
        }
        String mode = matching == null || matching.isBlank() ? "email" : matching;
        MatchRequest match = switch (mode) {
            case "email", "email_profile" -> MatchRequest.byEmail(Matching.parse(mode), email);
            case "phone" -> MatchRequest.byPhone(Matching.PHONE, phone);
            default -> MatchRequest.byField(Matching.CUSTOM, mode, null); // any other name is a custom field's
        };
        return new WriteCommand(dbId, match, data, resourceId != null);
    }

    private static MatchRequest match(Params p) {
        return MatchRequest.decode(p);
    }
}
