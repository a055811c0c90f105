package dev.roster.profile;

import dev.roster.access.Caller;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Static segment membership changed by a profile write ({@code add_to_segments}, {@code remove_from_segments}), in the
 * write's transaction. The segment feature implements it; the profile feature only calls it.
 */
public interface SegmentMembership {
    /**
     * Adds the profile to the segments of {@code add} and removes it from those of {@code remove}, with a history event
     * per change; a segment that is not a static segment of the database fails the write (404 or 400).
     */
    void change(Handle h, Caller caller, long dbId, String profileId, List<Long> add, List<Long> remove);

    /**
     * {@link #change} for several profiles (in order; a profile named twice changes once). Throws what {@code change}
     * throws for a segment it refuses, before changing anything.
     */
    void changeAll(Handle h, Caller caller, long dbId, List<String> profileIds, List<Long> add, List<Long> remove);

    /** A merge: the static segment memberships of {@code from} go to {@code to}, in the merge's transaction. */
    void move(Handle h, List<String> from, String to);

    /** A split: the new profile {@code to} joins the static segments {@code from} is a member of. */
    void copy(Handle h, String from, String to);
}
