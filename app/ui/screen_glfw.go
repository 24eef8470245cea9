//go:build !android && !ios && !js && !wasm && !ci && !mobile

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// workArea is the primary monitor's work area in pixels, asked from GLFW,
// which Fyne's desktop driver runs on (it has no API of its own for the
// screen's size). Only a window of that driver (it has RunNative; the test
// driver's has not) means GLFW is initialised; like every Fyne call this
// runs on the main goroutine, which is GLFW's.
func workArea(w fyne.Window) (fyne.Size, bool) {
	if _, ok := w.(driver.NativeWindow); !ok {
		return fyne.Size{}, false
	}
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}, false
	}
	_, _, width, height := m.GetWorkarea()
	if width <= 0 || height <= 0 {
		if mode := m.GetVideoMode(); mode != nil {
			width, height = mode.Width, mode.Height
		}
	}
	if width <= 0 || height <= 0 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(width), float32(height)), true
}

// monitorSize is the primary monitor's size in pixels (its video mode),
// which a full-screen window covers, asked from GLFW as workArea is.
func monitorSize(w fyne.Window) (fyne.Size, bool) {
	if _, ok := w.(driver.NativeWindow); !ok {
		return fyne.Size{}, false
	}
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(mode.Width), float32(mode.Height)), true
}
