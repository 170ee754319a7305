-- 0011: the notifications service (per-person preferences, digests, an
-- outbox for e-mail and chat posts written in the same transaction as the
-- change that causes them, chat hooks), one-time account links for
-- invitations and password resets (hashes only), and action items.
-- mail_state of a notification: 0 nothing to mail, 1 waits for the daily
-- digest, 2 for the weekly one, 3 mailed (at once or in a digest).
ALTER TABLE notification ADD COLUMN mail_state INTEGER NOT NULL DEFAULT 0;
CREATE INDEX notification_mail ON notification(mail_state, person_id);

-- kind is a notification group (decision, idea, autonomy, action, ...).
CREATE TABLE notify_pref (
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('app','email','daily','weekly')),
  PRIMARY KEY (person_id, kind)
);
CREATE TABLE digest_sent (
  person_id INTEGER NOT NULL REFERENCES person(id),
  period TEXT NOT NULL CHECK (period IN ('daily','weekly')),
  at INTEGER NOT NULL,
  PRIMARY KEY (person_id, period)
);

-- What is to be delivered outside: e-mail (target: the address) and chat
-- posts (target: the chat_hook id). next_at is in milliseconds.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  channel TEXT NOT NULL CHECK (channel IN ('email','webhook')),
  target TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_at);

-- Slack, Microsoft Teams or a signed generic JSON hook, for the whole
-- organisation (team_id NULL) or one team. url and secret are secrets.
CREATE TABLE chat_hook (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  team_id INTEGER REFERENCES team(id),
  kind TEXT NOT NULL CHECK (kind IN ('slack','teams','json')),
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX chat_hook_org ON chat_hook(org_id, team_id);

-- Invitations (7 days) and password resets (1 hour): single use.
CREATE TABLE account_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('invite','reset')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX account_token_person ON account_token(person_id);
CREATE TABLE reset_request (email_lc TEXT NOT NULL, ip TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX reset_request_email ON reset_request(email_lc, at);
CREATE INDEX reset_request_ip ON reset_request(ip, at);

-- Server-wide secrets (the key that signs unsubscribe links).
CREATE TABLE secret (name TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Action items: follow-up work from anywhere (source_kind + source_id, or none).
CREATE TABLE action_item (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  title TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES person(id),
  due_on TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','dropped')),
  reason TEXT,
  source_kind TEXT,
  source_id INTEGER,
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  due_told INTEGER NOT NULL DEFAULT 0,
  overdue_told INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX action_item_owner ON action_item(org_id, owner_id, status, due_on);
CREATE INDEX action_item_source ON action_item(org_id, source_kind, source_id);
CREATE INDEX action_item_due ON action_item(status, due_on);
