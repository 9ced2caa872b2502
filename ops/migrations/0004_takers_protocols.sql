-- Takers' protocols (issue 5): every quote and fill names the protocol it came through
-- (native, zeroex, hashflow, bebop); clients carry their limits; a fill may be partial and is
-- idempotent on the protocol's own reference (a trade event id, a client's accept id).
ALTER TABLE clients ADD COLUMN protocol text NOT NULL DEFAULT 'native';
ALTER TABLE clients ADD COLUMN max_quote_notional numeric CHECK (max_quote_notional > 0);  -- null: none
ALTER TABLE clients ADD COLUMN max_open_notional numeric CHECK (max_open_notional > 0);
ALTER TABLE clients ADD COLUMN rate_limit_per_s integer CHECK (rate_limit_per_s > 0);
-- Protocol clients (one per aggregator connection) authenticate by the protocol's own means.
ALTER TABLE clients ALTER COLUMN api_key_sha256 DROP NOT NULL;

ALTER TABLE quotes ADD COLUMN protocol text NOT NULL DEFAULT 'native';
ALTER TABLE quotes ADD COLUMN signed_order jsonb;  -- what the taker holds, for reconciliation
ALTER TABLE quotes DROP CONSTRAINT quotes_status_check;
ALTER TABLE quotes ADD CONSTRAINT quotes_status_check CHECK (status IN ('live', 'filled', 'declined'));

ALTER TABLE fills ADD COLUMN protocol text NOT NULL DEFAULT 'native';
ALTER TABLE fills ADD COLUMN external_ref text;
CREATE UNIQUE INDEX fills_external_ref ON fills (protocol, client_id, external_ref) WHERE external_ref IS NOT NULL;
