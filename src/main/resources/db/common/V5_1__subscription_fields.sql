-- Custom subscription fields of a resource's channel (resources/fields_add, a Roster extension). Subscription
-- custom_fields with these names are validated against their type; the system fields of reference §9 are in the code.
create table resource_fields (
    resource_id bigint not null references resources (id) on delete cascade,
    channel     text   not null,
    name        text   not null,
    type        text   not null,
    title       text   not null,
    options     text,
    created_at  bigint not null,
    primary key (resource_id, channel, name)
);
-- Names are matched case-insensitively, as database fields are: Visits and visits cannot both exist.
create unique index resource_fields_name_ci on resource_fields (resource_id, channel, lower(name));
