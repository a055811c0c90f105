package dev.roster.catalog;

import org.jdbi.v3.core.Handle;

/**
 * Lets features that keep data per database (profiles, subscriptions) clean up in the same transaction when a
 * database, a field or a resource goes away, without the catalog knowing them.
 */
public interface CatalogListener {
    default void databaseDeleting(Handle h, long dbId) {
    }

    default void fieldDeleting(Handle h, long dbId, String fieldName) {
    }

    default void resourceDeleting(Handle h, long resourceId) {
    }

    /** The database's phones become unique (or stop being so); refuse with a RosterException when they cannot. */
    default void uniquePhonesChanging(Handle h, long dbId, boolean unique) {
    }
}
