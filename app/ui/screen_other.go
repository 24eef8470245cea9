//go:build android || ios || js || wasm || ci || mobile

package ui

import "fyne.io/fyne/v2"

// workArea is unknown without Fyne's desktop driver.
func workArea(fyne.Window) (fyne.Size, bool) { return fyne.Size{}, false }

// monitorSize is unknown without Fyne's desktop driver.
func monitorSize(fyne.Window) (fyne.Size, bool) { return fyne.Size{}, false }
