-- Users, sessions and login throttling: the tables sign-in needs.

CREATE TABLE users (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username         text NOT NULL CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  password_hash    text NOT NULL,
  full_name        text NOT NULL DEFAULT '' CHECK (length(full_name) <= 200),
  role             text NOT NULL CHECK (role IN ('admin', 'operator', 'master')),
  master_code      text CHECK (length(master_code) <= 64),
  phone            text CHECK (length(phone) <= 32),
  sip_extension    text CHECK (length(sip_extension) <= 32),
  telegram_chat_id bigint,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  last_login       timestamptz
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_master_code_key ON users (master_code) WHERE master_code IS NOT NULL;
CREATE INDEX users_role_idx ON users (role, created_at DESC, id DESC);
CREATE INDEX users_sip_idx ON users (sip_extension) WHERE sip_extension IS NOT NULL;

-- Only the SHA-256 of the token is stored: a leaked table cannot sign anyone in.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  ip          text,
  user_agent  text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed sign-ins, counted per username and per client address over 15 minutes.
CREATE TABLE login_attempts (
  id        bigserial PRIMARY KEY,
  username  text NOT NULL,
  ip        text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);
