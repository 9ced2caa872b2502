-- Each taker fill's PnL, attributed (hedging/pnl_attribution.hpp), in USD. The parts add up to
-- total exactly; total is computed independently from cash and mark-to-market. Written once,
-- when the fill's hedges are final (hedging/fill_attribution.hpp says which hedges are whose).
CREATE TABLE fill_pnl (
  fill_id         text PRIMARY KEY REFERENCES fills(fill_id),
  asset           text NOT NULL,
  spread          numeric NOT NULL,
  hedge_slippage  numeric NOT NULL,
  fees            numeric NOT NULL,
  funding         numeric NOT NULL,
  revaluation     numeric NOT NULL,
  total           numeric NOT NULL,
  fair_at_fill    numeric NOT NULL,
  mark            numeric NOT NULL,
  hedges          integer NOT NULL,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (spread + hedge_slippage + fees + funding + revaluation = total)
);
