-- App credentials (issue 3; docs/decisions/0008-app-credentials.md). No row of apps can exist yet:
-- nothing registered apps before this migration, so the new NOT NULL columns need no default.

-- The API key stays a hash: SHA-256 (hex) of a 256-bit random key. Nobody can guess such a key, so a
-- slow password hash would protect nothing and only slow down every SDK connection.
COMMENT ON COLUMN apps.api_key_hash IS 'SHA-256 (hex) of the API key; the key is shown once';

-- First 12 characters of the key (amk_ and 8 more), shown by the API so operators can tell keys apart.
ALTER TABLE apps ADD COLUMN api_key_prefix VARCHAR(16) NOT NULL;

-- Webhooks are signed with HMAC-SHA256, which needs the secret itself: a hash of it cannot sign.
-- It is sealed instead (AES-256-GCM, v1:<nonce>:<ciphertext+tag>) with a key that lives in the
-- service's configuration (appmanager.apps.secret-key), never here: a dump alone forges nothing.
ALTER TABLE apps DROP COLUMN webhook_secret_hash;
ALTER TABLE apps ADD COLUMN webhook_secret_sealed TEXT NOT NULL;
COMMENT ON COLUMN apps.webhook_secret_sealed IS 'AES-256-GCM sealed webhook secret, v1:<nonce>:<ciphertext+tag>';

-- Package names sort and page in byte order whatever the server's default collation, so the API's
-- keyset paging means the same on every installation. Same rule as the API's, enforced here too.
ALTER TABLE apps ALTER COLUMN package_name TYPE VARCHAR(128) COLLATE "C";
ALTER TABLE apps ADD CONSTRAINT apps_package_name_format CHECK (package_name ~ '^[a-z0-9._-]{3,128}$');
ALTER TABLE apps ADD CONSTRAINT apps_policy_overrides_object CHECK (jsonb_typeof(policy_overrides) = 'object');
