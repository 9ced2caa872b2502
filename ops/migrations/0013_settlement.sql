-- On-chain settlement (issue 24): the chain is a venue. Every fill is native, or settles on a
-- chain: recorded on a message and pending until its event is seen, or made by the event
-- itself (0x RFQ-T); seen, then confirmed at depth; or unsettled, and then undone by an
-- unwind fill (the same trade the other way round) that hedging takes like any fill.
ALTER TABLE fills ADD COLUMN kind text NOT NULL DEFAULT 'trade' CHECK (kind IN ('trade', 'unwind'));
ALTER TABLE fills ADD COLUMN unwinds text UNIQUE REFERENCES fills(fill_id);
ALTER TABLE fills ADD CONSTRAINT fills_unwind_names_its_fill CHECK ((kind = 'unwind') = (unwinds IS NOT NULL));
ALTER TABLE fills ADD COLUMN settlement text NOT NULL DEFAULT 'native'
  CHECK (settlement IN ('native', 'pending', 'seen', 'confirmed', 'unsettled'));
ALTER TABLE fills ADD COLUMN chain_id bigint;
ALTER TABLE fills ADD COLUMN tx_hash text CHECK (tx_hash ~ '^0x[0-9a-f]{64}$');
ALTER TABLE fills ADD COLUMN log_index bigint;
ALTER TABLE fills ADD COLUMN block_number bigint;
ALTER TABLE fills ADD COLUMN block_hash text;
ALTER TABLE fills ADD COLUMN settled_at timestamptz;  -- when seen (or confirmed, or unsettled) last
ALTER TABLE fills ADD CONSTRAINT fills_seen_on_a_chain
  CHECK (settlement NOT IN ('seen', 'confirmed') OR (chain_id IS NOT NULL AND tx_hash IS NOT NULL));
-- A quote fills at most once on a message; an on-chain order may fill in several transactions,
-- each its own fill, once per (chain, transaction, log).
ALTER TABLE fills DROP CONSTRAINT fills_quote_id_key;
CREATE UNIQUE INDEX fills_one_per_quote ON fills (quote_id) WHERE kind = 'trade' AND tx_hash IS NULL;
CREATE UNIQUE INDEX fills_one_per_log ON fills (chain_id, tx_hash, log_index) WHERE kind = 'trade' AND tx_hash IS NOT NULL;
CREATE INDEX fills_unsettled ON fills (chain_id) WHERE settlement IN ('pending', 'seen');

-- Where each chain's watcher has read up to: the last block whose logs are all applied.
CREATE TABLE chain_cursor (
  chain_id      bigint PRIMARY KEY,
  block_number  bigint NOT NULL,
  block_hash    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every settlement event of ours the chain showed, matched or not (an unmatched or mismatched
-- one is an alert: money moved that no quote explains).
CREATE TABLE chain_events (
  chain_id      bigint NOT NULL,
  tx_hash       text NOT NULL,
  log_index     bigint NOT NULL,
  block_number  bigint NOT NULL,
  block_hash    text NOT NULL,
  event         text NOT NULL,   -- '0x RfqOrderFilled', '0x OtcOrderFilled', 'Hashflow Trade'
  order_ref     text NOT NULL,   -- the 0x order hash or the Hashflow txid
  maker_amount  numeric NOT NULL,
  taker_amount  numeric NOT NULL,
  fill_id       text REFERENCES fills(fill_id),
  outcome       text NOT NULL,   -- record_fill, settled, mismatch, unmatched
  seen_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, tx_hash, log_index)
);
