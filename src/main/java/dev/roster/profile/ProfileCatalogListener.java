package dev.roster.profile;

import dev.roster.catalog.CatalogListener;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
import dev.roster.store.Store;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Keeps profiles and their keys in step when the catalog changes under them, in the catalog's transaction. */
public final class ProfileCatalogListener implements CatalogListener {
    private final Store store;

    public ProfileCatalogListener(Store store) {
        this.store = store;
    }

    @Override
    public void databaseDeleting(Handle h, long dbId) {
        ProfileSql.deleteDatabaseContents(h, dbId);
        History.forgetDatabase(h, dbId);
    }

    @Override
    public void fieldDeleting(Handle h, long dbId, String fieldName) {
        ProfileSql.removeField(h, dbId,
                fieldName, ProfileKeys.FIELD + fieldName);
    }

    /** Subscriptions of the resource go, and with them the keys they gave their profiles. */
    @Override
    public void resourceDeleting(Handle h, long resourceId) {
        List<ProfileSql.Owner> owners = ProfileSql.subscribersOfResource(h, resourceId);
        ProfileSql.deleteSubscriptionsOfResource(h, resourceId);
        for (ProfileSql.Owner owner : owners) {
            var schema = DatabaseService.schema(h, owner.dbId());
            ProfileSql.ProfileRow row = ProfileSql.lockProfile(h, owner.dbId(), owner.profileId())
                    .orElseThrow();
            ProfileKeys.sync(h, owner.dbId(), owner.profileId(),
                    ProfileKeys.derive(row.data(), ProfileSql.subscriptionsOf(h, owner.profileId()), schema));
        }
    }

    @Override
    public void uniquePhonesChanging(Handle h, long dbId, boolean unique) {
        if (unique) {
            ProfileSql.sharedLookup(h, dbId, ProfileKeys.PHONE).ifPresent(phone -> {
                throw RosterException.conflict("phones cannot become unique: phone '" + phone
                        + "' belongs to several profiles of database " + dbId);
            });
            ProfileSql.moveLookupsToKeys(h, dbId, ProfileKeys.PHONE);
        } else {
            ProfileSql.moveKeysToLookups(h, dbId, ProfileKeys.PHONE);
        }
    }
}
