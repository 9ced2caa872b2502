-- Hedging keeps inventory per asset (what takers' fills moved) apart from its positions per
-- venue instrument, each with its average-cost entry value and realized PnL (hedging's
-- PositionBook). `positions` stays the net base exposure per asset, for observers.
CREATE TABLE inventory (
  asset       text PRIMARY KEY,
  qty         numeric NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- The USD-like cash each asset's fills moved (the quote side of its trading), for the PnL of
-- an asset's listings.
CREATE TABLE asset_cash (
  asset       text PRIMARY KEY,
  cash        numeric NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE instrument_positions (
  instrument   text PRIMARY KEY,       -- venue:symbol
  qty          numeric NOT NULL,       -- signed, in the instrument's units
  entry_value  numeric NOT NULL,       -- of the open qty, in pnl_asset
  realized     numeric NOT NULL,       -- in pnl_asset
  pnl_asset    text NOT NULL,
  updated_at   timestamptz NOT NULL
);

-- Before this, positions held inventory and hedges together with no breakdown: carry it over
-- as inventory, so the exposure hedging starts from is unchanged.
INSERT INTO inventory (asset, qty, updated_at) SELECT asset, net_qty, updated_at FROM positions;
