-- Hedging claims each fill exactly once, in the same transaction as the position it changes.
-- A fill with no intake row has not reached hedging yet (lost bus message, hedging down) and
-- is picked up from here.
CREATE TABLE fill_intake (
  fill_id   text PRIMARY KEY REFERENCES fills(fill_id),
  taken_at  timestamptz NOT NULL DEFAULT now()
);
