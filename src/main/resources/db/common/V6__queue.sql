-- Receipts of writes named by a key (queue messages with a message_id or a feedback_id). A receipt is written in the
-- same transaction as its write, so a message redelivered after a crash between the commit and the acknowledgement
-- finds it and is not applied a second time: its stored result is published again instead. profile_id is null only
-- inside the writing transaction. Receipts older than a week are pruned (redeliveries come within minutes).
create table write_receipts (
    account_id bigint  not null references accounts (id) on delete cascade,
    receipt    text    not null,
    profile_id text,
    created    integer not null default 0,
    applied_at bigint  not null,
    primary key (account_id, receipt)
);
create index write_receipts_applied on write_receipts (applied_at);
