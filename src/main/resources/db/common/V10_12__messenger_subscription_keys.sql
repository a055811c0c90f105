-- A messenger subscription (telegram_bot, whatsapp, viber, notify, ...) is an identity key per resource: kind
-- 'sub:<channel>', value '<resource_id>:<address>'. Existing subscriptions get their keys; where two profiles already
-- share one, the first profile keeps it.
insert into profile_keys (db_id, kind, value, profile_id)
select db_id, 'sub:' || channel, cast(resource_id as text) || ':' || address, min(profile_id)
from subscriptions
where channel not in ('email', 'sms', 'push')
group by db_id, channel, resource_id, address
on conflict do nothing;
