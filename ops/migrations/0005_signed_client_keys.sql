-- The native API signs every request with HMAC (issue 5). The record keeps each client's public
-- key id; the secret is derived from a master secret that lives outside the database, so a copy
-- of this table cannot sign requests. SHA-256 API keys stop working: re-key such clients
-- (aqueduct client-rekey --id ID).
ALTER TABLE clients ADD COLUMN api_key_id text UNIQUE CHECK (api_key_id ~ '^ak_[0-9a-f]{24}$');
ALTER TABLE clients DROP COLUMN api_key_sha256;
ALTER TABLE clients ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
