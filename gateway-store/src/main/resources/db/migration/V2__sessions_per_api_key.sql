-- A session id is scoped by the API key that uses it: the same id under two keys is two sessions,
-- so a key can neither reach nor detect another key's session (V1 gave an id to its first user
-- and answered 404 to every other key: a probe for the ids other keys use).
--
-- Each session gets a stream key, the key of its records on Kafka (requests and events), which
-- stream tokens name: two keys' sessions of one id never share a stream, and a session deleted
-- and used again starts a new one, so a cursor into the deleted session's events reads nothing.
-- Sessions from before keep their id as stream key: their records are keyed by it.

alter table sessions add column stream_key text;
update sessions set stream_key = session_id;
alter table sessions
    alter column stream_key set not null,
    alter column stream_key set default gen_random_uuid()::text,
    add constraint sessions_stream_key_key unique (stream_key),
    drop constraint sessions_pkey,
    add primary key (owner, session_id);

-- Conversations, history and its order are per generation (one session of one key), no longer per id.
alter table conversations
    drop constraint conversations_pkey,
    add primary key (generation, bot);
drop index conversations_by_generation;

drop index messages_by_session;
drop index messages_by_generation;
create index messages_by_generation on messages (generation, message_id);
