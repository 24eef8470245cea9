// Package assets embeds the kiosk's built-in files: survey definitions,
// translations and icons.
package assets

import "embed"

// Surveys holds the built-in survey definitions, surveys/*.json.
//
//go:embed surveys
var Surveys embed.FS

// I18n holds the translations, i18n/<area>/<lang>.json.
//
//go:embed i18n
var I18n embed.FS

// Icons holds the app icon and the answer face icons.
//
//go:embed icons
var Icons embed.FS

// Slides holds the built-in slide set of the welcome screen, slides/builtin.json.
//
//go:embed slides
var Slides embed.FS
