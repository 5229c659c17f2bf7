-- The gateway's state: who owns a session, its messages (history), the Idempotency-Keys used on
-- it and its vendor conversations. Kafka stays the log of requests and events; this is the system
-- of record for what must be read back by key.
--
-- A session row is the root: everything else hangs off its generation with ON DELETE CASCADE, so
-- a DELETE of the session removes all of it in one statement, and a writer that still holds an
-- old generation (a connector finishing a message of a deleted session) finds no row to update
-- and fails the foreign key on insert: nothing it writes afterwards brings the session back.

create table sessions (
    session_id  text primary key,
    owner       text not null,
    -- A new one each time the id is claimed: a session deleted and claimed again is another one.
    generation  bigint generated always as identity unique,
    created_at  timestamptz not null default now()
);

create table messages (
    message_id   text primary key,
    session_id   text not null,
    generation   bigint not null references sessions (generation) on delete cascade,
    bot          text not null,
    provider     text not null,
    question     text not null,
    status       text not null default 'pending'
                 check (status in ('pending', 'completed', 'failed', 'cancelled')),
    answer       text,
    usage        jsonb,
    error        jsonb,
    accepted_at  timestamptz not null,
    ended_at     timestamptz
);
-- A session's messages in the order they were accepted (message ids are UUIDv7: time first).
create index messages_by_session on messages (session_id, message_id);
-- The retention sweep.
create index messages_by_acceptance on messages (accepted_at);

create table idempotency_keys (
    -- SHA-256 of (owner, session, Idempotency-Key): the key itself is the client's and not kept.
    scope        text primary key,
    generation   bigint not null references sessions (generation) on delete cascade,
    message_id   text not null,
    body_hash    text not null,
    accepted_at  timestamptz not null
);
create index idempotency_keys_by_acceptance on idempotency_keys (accepted_at);

create table conversations (
    session_id  text not null,
    bot         text not null,
    generation  bigint not null references sessions (generation) on delete cascade,
    -- The vendor's handles and, for stateless vendors, the earlier turns (provider-kit Conversation).
    state       jsonb not null,
    updated_at  timestamptz not null default now(),
    primary key (session_id, bot)
);
-- The foreign keys' own lookups when a session is deleted.
create index conversations_by_generation on conversations (generation);
create index idempotency_keys_by_generation on idempotency_keys (generation);
create index messages_by_generation on messages (generation);
