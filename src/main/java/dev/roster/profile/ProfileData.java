package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.error.RosterException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies the fields of a request's {@code data} to a profile's stored fields: partial, typed, with field functions. */
final class ProfileData {
    private ProfileData() {
    }

    /** The new stored fields and the names of those that changed. */
    record Applied(ObjectNode data, List<String> changed) {
    }

    static Applied apply(ObjectNode current, ObjectNode input, Schema schema) {
        ObjectNode next = current.deepCopy();
        List<String> changed = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            if (name.equals("subscriptions") || StandardField.isComputed(name)) {
                continue; // subscriptions are merged apart; computed fields are read-only and ignored on input
            }
            JsonNode before = current.get(name);
            JsonNode after;
            String storedName = name;
            Optional<StandardField> standard = StandardField.byName(name);
            if (standard.isPresent()) {
                after = FieldFunctions.apply(standard.get(), schema.phoneRegion(), schema.zone(), before, entry.getValue());
            } else {
                Field field = schema.field(name);
                if (field == null) {
                    throw RosterException.badRequest("unknown field '" + name + "' in data: database " + schema.dbId()
                            + " has no such field (add it with databases/fields_add)");
                }
                storedName = field.name();
                before = current.get(storedName);
                after = FieldFunctions.apply(storedName, field.type(), field.options(), before, entry.getValue(),
                        schema.zone());
            }
            if (after == null || after.isNull()) {
                if (next.remove(storedName) != null) {
                    changed.add(storedName);
                }
            } else if (before == null || !ListEdits.same(after, before)) {
                next.set(storedName, after);
                changed.add(storedName);
            }
        }
        return new Applied(next, changed);
    }
}
