-- Quotes are written at thousands per second and read rarely (audits, reconciliation). Their
-- breakdown and signed order are kept as json — the text exactly as sent, validated but not
-- decomposed — instead of jsonb, whose binary decomposition cost more PostgreSQL CPU per quote
-- than everything else in the row. Operators (->, ->>) work the same on json.
ALTER TABLE quotes ALTER COLUMN breakdown TYPE json USING breakdown::json;
ALTER TABLE quotes ALTER COLUMN signed_order TYPE json USING signed_order::json;
