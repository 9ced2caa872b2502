-- A hedge sent straight from a fill goes to its venue before hedging records it (the record
-- follows in the same moment, not before: fill-to-venue latency). The router may therefore
-- record the venue's answer first, so executions and venue trades no longer require the
-- hedge_orders row to exist already. A hedge sent but never recorded (a crash in between) is
-- found again at recovery by its id, which is derived from the fill.
ALTER TABLE executions DROP CONSTRAINT IF EXISTS executions_hedge_id_fkey;
ALTER TABLE venue_trades DROP CONSTRAINT IF EXISTS venue_trades_hedge_id_fkey;
CREATE INDEX IF NOT EXISTS hedge_orders_open ON hedge_orders (status)
  WHERE status NOT IN ('ORDER_FILLED', 'ORDER_EXPIRED', 'ORDER_CANCELED', 'ORDER_REJECTED');
