-- A token's own rate limit (requests per second) and burst; null: the server's default applies.
alter table tokens add column rate_limit integer;
alter table tokens add column rate_burst integer;
