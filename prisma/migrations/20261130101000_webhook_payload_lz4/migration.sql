-- Webhook payloads (7–25 kB of JSON each) are compressed as store_webhook_delivery inserts them,
-- and with the default pglz that compression was PostgreSQL's largest single cost per delivery
-- (about a fifth of its CPU under bench:webhooks). lz4 compresses several times faster for a
-- slightly larger result, and cut PostgreSQL's CPU per delivery by about 15%. Only new values
-- change; rows already stored keep pglz, and both read back the same.
-- PostgreSQL built without lz4 (the embedded PGlite, for one) keeps pglz rather than failing.
DO $$
BEGIN
  ALTER TABLE "webhook_deliveries" ALTER COLUMN "payload" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'this PostgreSQL has no lz4; webhook payloads stay compressed with pglz';
END
$$;
