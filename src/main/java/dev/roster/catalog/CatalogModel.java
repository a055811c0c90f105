package dev.roster.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The records of the catalog feature: commands in, answers out (snake_case on the wire). */
public final class CatalogModel {
    private CatalogModel() {
    }

    public record NewDatabase(String name, String description, List<String> uiTags, String phoneRegion,
                              Boolean uniquePhones, String timezone) {
    }

    /** Only the non-null members change. */
    public record DatabaseChanges(long id, String name, String description, List<String> uiTags, String phoneRegion,
                                  Boolean uniquePhones, String timezone) {
    }

    /** {@code profiles_count} is exact: the profiles the database holds now (a Roster extension). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Database(long id, String name, String description, List<String> uiTags, String phoneRegion,
                           boolean uniquePhones, String createdAt, String updatedAt, long profilesCount,
                           String timezone) {
    }

    public record Group(@JsonProperty("Id") int id, @JsonProperty("Name") String name) {
    }

    /** A row of {@code databases/list}, with the capitalised {@code Groups} of the reference and the profile count. */
    public record DatabaseRow(long id, String name, List<String> uiTags, @JsonProperty("Groups") List<Group> groups,
                              long profilesCount) {
    }

    public record NewField(long dbId, String name, FieldType type, String title, boolean unique, List<String> options,
                           boolean indexed) {
        public NewField(long dbId, String name, FieldType type, String title, boolean unique, List<String> options) {
            this(dbId, name, type, title, unique, options, false);
        }
    }

    /** {@code indexed}: null leaves the field's index as it is. */
    public record FieldChanges(long dbId, String name, String title, List<String> options, Boolean indexed) {
        public FieldChanges(long dbId, String name, String title, List<String> options) {
            this(dbId, name, title, options, null);
        }
    }

    /** A field as {@code databases/fields_get} lists it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldInfo(String name, String title, String type, String category, boolean required,
                            boolean unique, List<String> options, Boolean indexed) {
        public FieldInfo(String name, String title, String type, String category, boolean required, boolean unique,
                         List<String> options) {
            this(name, title, type, category, required, unique, options, null);
        }
    }

    /** A custom field as the profile feature needs it. */
    public record Field(String name, FieldType type, boolean unique, List<String> options) {
    }

    /**
     * What the profile feature needs of a database to validate and store profile data; {@code zone} reads
     * date-times sent without a zone.
     */
    public record Schema(long dbId, String phoneRegion, boolean uniquePhones, java.util.Map<String, Field> fields,
                         java.time.ZoneId zone) {
        public Schema(long dbId, String phoneRegion, boolean uniquePhones, java.util.Map<String, Field> fields) {
            this(dbId, phoneRegion, uniquePhones, fields, java.time.ZoneOffset.UTC);
        }

        /** The custom field of that name (exact case first, then any case), or null. */
        public Field field(String name) {
            Field exact = fields.get(name);
            if (exact != null) {
                return exact;
            }
            for (Field f : fields.values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    public record NewResource(String name, List<Channel> channels, List<Long> dbIds) {
    }

    public record ResourceChanges(long id, String name, List<Channel> channels, List<Long> dbIds) {
    }

    public record Resource(long id, String name, List<String> channels, List<Long> dbsIds) {
    }

    /** The lower-case group of {@code resources/list}. */
    public record ResourceGroup(int id, String name) {
    }

    public record ResourceRow(long id, String name, List<String> channels, List<ResourceGroup> groups) {
    }

    /** A page of a cursor-paged list: rows, the id to continue from, and how many rows there are in all. */
    public record Page<T>(List<T> rows, long nextFromId, long totalCount) {
    }

    public record Id(long id) {
    }

    public record Name(String name) {
    }
}
