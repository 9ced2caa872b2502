-- Funding settled on perpetual hedge positions (hedging/hedging_service.cpp): one row per
-- instrument and settlement time, with what it was computed from. amount_usd is what we
-- received (+) or paid (−): −(position's base) × (base's USD price) × rate, at 8 places.
CREATE TABLE funding_payments (
  instrument    text NOT NULL,
  settled_at    timestamptz NOT NULL,
  position_qty  numeric NOT NULL,   -- in the instrument's own units (contracts or base)
  position_base numeric NOT NULL,   -- its base equivalent at the mark
  base_usd      numeric NOT NULL,   -- the base asset's USD price used
  rate          numeric NOT NULL,   -- per interval, as the venue published it before settling
  amount_usd    numeric NOT NULL,
  fill_id       text,               -- the open fill it was attributed to; null: none open
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instrument, settled_at)
);
