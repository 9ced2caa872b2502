-- How the fair value moved after each fill (pricer/markouts.hpp): one row per fill and
-- horizon, from our side (positive: the fill earned against the later fair value). The data
-- client toxicity tiers are built from.
CREATE TABLE markouts (
  fill_id      text NOT NULL REFERENCES fills(fill_id),
  horizon_ms   integer NOT NULL CHECK (horizon_ms > 0),
  client_id    text NOT NULL,
  listing      text NOT NULL,
  fill_price   numeric NOT NULL,
  fair_value   numeric NOT NULL,
  bps          double precision NOT NULL,
  measured_at  timestamptz NOT NULL,
  PRIMARY KEY (fill_id, horizon_ms)
);
CREATE INDEX markouts_client ON markouts (client_id, horizon_ms, measured_at);
CREATE INDEX markouts_listing ON markouts (listing, horizon_ms, measured_at);
