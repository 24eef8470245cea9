// Package client is the kiosk's side of sync: it enrolls the device with a
// hub, drains the store's outbox to the hub in signed batches with backoff,
// pulls published survey definitions, and exports the outbox as a signed
// bundle for a USB stick. It imports no Fyne; the admin panel shows its
// Status through app/ui/syncui.
//
// The outbox in the store is the only sync state: an Uploader keeps nothing
// that a restart would lose, and an item leaves the outbox only on the hub's
// own per-item answer.
package client
