-- A hedge may be worked instead of crossed: a post-only order that rests as a maker until its
-- deadline and is then cancelled (what it did not fill is hedged again). The record says
-- which hedges were worked and until when.
ALTER TABLE hedge_orders ADD COLUMN IF NOT EXISTS post_only boolean NOT NULL DEFAULT false;
ALTER TABLE hedge_orders ADD COLUMN IF NOT EXISTS work_until timestamptz;
