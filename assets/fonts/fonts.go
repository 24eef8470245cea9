// Package fonts embeds the Noto Sans faces the hub draws Vietnamese text
// with where no UI toolkit supplies a font (the rating slip sheets). They
// are the same files Fyne's default theme shows on the kiosk, under the
// SIL Open Font License (OFL.txt). A package of its own, so that only the
// programs that draw with them carry them.
package fonts

import _ "embed"

// NotoSansRegular and NotoSansBold are TrueType fonts covering Vietnamese.
var (
	//go:embed NotoSans-Regular.ttf
	NotoSansRegular []byte
	//go:embed NotoSans-Bold.ttf
	NotoSansBold []byte
)
