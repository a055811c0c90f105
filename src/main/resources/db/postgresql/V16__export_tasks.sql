-- Export tasks (profiles/get_all) and their files, in the store: any server of the store answers tasks/status and
-- serves the download, and a restart forgets nothing. The file is kept as ordered chunks of at most 1 MB; tasks and
-- their chunks are deleted after the export retention (--export-retention) or by tasks/delete.
create table export_tasks (
    id         text   not null primary key,
    account_id bigint not null references accounts (id) on delete cascade,
    db_id      bigint not null,
    file_name  text   not null,
    status     text   not null,
    total      bigint not null default 0,
    done       bigint not null default 0,
    bytes      bigint not null default 0,
    error      text,
    created_at bigint not null,
    updated_at bigint not null
);
create index export_tasks_created on export_tasks (created_at);

create table export_chunks (
    task_id text    not null references export_tasks (id) on delete cascade,
    seq     integer not null,
    data    bytea   not null,
    primary key (task_id, seq)
);
