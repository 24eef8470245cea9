-- 0002_signature: the device's signature over a response, made when it is
-- saved on an enrolled kiosk (sync/client.Signer), so a sync after days
-- offline only reads and sends. NULL: not signed yet (saved before
-- enrollment, or the signature was dropped because the hub refused it); the
-- uploader signs such rows when it sends them. Adding a nullable column
-- rewrites no rows.
ALTER TABLE responses ADD COLUMN signature BLOB;
