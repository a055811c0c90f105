package dev.roster.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The records of the segment feature (snake_case on the wire). */
public final class SegmentModel {
    private SegmentModel() {
    }

    public record NewSegment(long dbId, String name, String type, JsonNode query) {
    }

    /** Only the non-null members change; the type of a segment never does. */
    public record SegmentChanges(long id, String name, JsonNode query) {
    }

    /** A segment as segments/get shows it; {@code profiles_count} only there, not in segments/list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Segment(long id, long dbId, String name, String type, JsonNode query, String createdAt,
                          String updatedAt, Long profilesCount) {
    }

    public record Members(long id, List<String> profileIds) {
    }

    public record Changed(long changed) {
    }
}
