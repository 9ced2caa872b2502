-- Quanto hedges add a part of their own to a fill's PnL: what the settle coin's move since each
-- trade did to it, N·m·(M − P)·(S − S₀) (hedging/pnl_attribution.hpp). Fills attributed before
-- had none. The parts still add up to total exactly.
ALTER TABLE fill_pnl ADD COLUMN quanto numeric NOT NULL DEFAULT 0;
ALTER TABLE fill_pnl DROP CONSTRAINT fill_pnl_check;
ALTER TABLE fill_pnl ADD CONSTRAINT fill_pnl_parts_add_up
  CHECK (spread + hedge_slippage + fees + funding + revaluation + quanto = total);
