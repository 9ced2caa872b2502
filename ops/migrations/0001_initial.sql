-- The system of record. Money columns are NUMERIC (exact decimal), never float.
CREATE TABLE listings (
  name        text PRIMARY KEY,
  base        text NOT NULL,
  quote       text NOT NULL,
  config      jsonb NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  version     bigint NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clients (
  client_id       text PRIMARY KEY,
  name            text NOT NULL,
  tier            text NOT NULL DEFAULT 'standard',
  zero_fee        boolean NOT NULL DEFAULT false,
  api_key_sha256  text NOT NULL UNIQUE,   -- the key itself is never stored
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE quotes (
  quote_id    text PRIMARY KEY,
  client_id   text NOT NULL REFERENCES clients(client_id),
  listing     text NOT NULL,
  side        text NOT NULL CHECK (side IN ('buy', 'sell')),  -- the taker's side
  price       numeric NOT NULL CHECK (price > 0),
  qty         numeric NOT NULL CHECK (qty > 0),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'filled')),
  breakdown   jsonb NOT NULL
);

CREATE TABLE fills (
  fill_id     text PRIMARY KEY,
  quote_id    text NOT NULL UNIQUE REFERENCES quotes(quote_id),  -- a quote fills at most once
  client_id   text NOT NULL REFERENCES clients(client_id),
  listing     text NOT NULL,
  side        text NOT NULL CHECK (side IN ('buy', 'sell')),
  price       numeric NOT NULL,
  qty         numeric NOT NULL,
  filled_at   timestamptz NOT NULL
);

CREATE TABLE hedge_orders (
  hedge_id     text PRIMARY KEY,   -- also the venue client order id
  venue        text NOT NULL,
  symbol       text NOT NULL,
  side         text NOT NULL CHECK (side IN ('buy', 'sell')),
  qty          numeric NOT NULL CHECK (qty > 0),
  limit_price  numeric NOT NULL,
  reason       text NOT NULL,
  status       text NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

CREATE TABLE executions (
  execution_id    bigserial PRIMARY KEY,
  hedge_id        text NOT NULL REFERENCES hedge_orders(hedge_id),
  venue           text NOT NULL,
  symbol          text NOT NULL,
  venue_order_id  text,
  status          text NOT NULL,
  filled_qty      numeric NOT NULL,
  avg_price       numeric,
  detail          text NOT NULL DEFAULT '',
  received_at     timestamptz NOT NULL
);

-- Venue trades, deduplicated by the venue's trade id.
CREATE TABLE venue_trades (
  venue       text NOT NULL,
  trade_id    text NOT NULL,
  hedge_id    text NOT NULL REFERENCES hedge_orders(hedge_id),
  price       numeric NOT NULL,
  qty         numeric NOT NULL,
  PRIMARY KEY (venue, trade_id)
);

CREATE TABLE positions (
  asset       text PRIMARY KEY,
  net_qty     numeric NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE audit_log (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  action   text NOT NULL,
  subject  text NOT NULL DEFAULT '',
  detail   jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX fills_filled_at ON fills (filled_at);
CREATE INDEX executions_hedge ON executions (hedge_id);
