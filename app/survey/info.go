package survey

import (
	"bytes"
	"encoding/base64"

	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits of an info screen.
const (
	// MaxInfoTextLen is the characters of an info screen's text, per
	// language: a summary read standing, not the full document (link
	// that with a QR code).
	MaxInfoTextLen = 600
	// MaxImageBytes is the size of an info screen's image once decoded
	// from base64. The whole survey file stays within MaxDefinitionSize.
	MaxImageBytes = 256 << 10
	// MinImageSide and MaxImageSide bound an image's width and height in
	// pixels: a smaller one is a thumbnail blurred on a kiosk, a larger
	// one costs memory on a small kiosk for nothing a screen shows.
	MinImageSide = 32
	MaxImageSide = 2048
	// MaxQRURLLen is the bytes of a QR code's link: longer links make
	// dense codes that phones fail to read from a screen.
	MaxQRURLLen = 300
)

// Image data URI prefixes an info screen accepts, by format name.
var imagePrefixes = map[string]string{
	"png":  "data:image/png;base64,",
	"jpeg": "data:image/jpeg;base64,",
}

// DecodeImage decodes an info screen's image (a data URI as Question.Image
// holds it) into a picture, checking the rules Validate applies. The error
// is a Problem without its path.
func DecodeImage(uri string) (image.Image, error) {
	format := ""
	var b64 string
	for f, prefix := range imagePrefixes {
		if rest, ok := strings.CutPrefix(uri, prefix); ok {
			format, b64 = f, rest
		}
	}
	bad := func(key string, args map[string]any) error { return newProblem("", key, args) }
	if format == "" {
		return nil, bad("survey.problem.image_format", nil)
	}
	if n := base64.StdEncoding.DecodedLen(len(b64)); n > MaxImageBytes+2 {
		return nil, bad("survey.problem.image_too_large.estimate", map[string]any{"KB": n >> 10, "MaxKB": MaxImageBytes >> 10})
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, bad("survey.problem.image_base64", nil)
	}
	if len(raw) > MaxImageBytes {
		return nil, bad("survey.problem.image_too_large", map[string]any{"KB": len(raw) >> 10, "MaxKB": MaxImageBytes >> 10})
	}
	decodeConfig, decode := png.DecodeConfig, png.Decode
	if format == "jpeg" {
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	cfg, err := decodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, bad("survey.problem.image_unreadable", map[string]any{"Format": strings.ToUpper(format), "Kind": format})
	}
	if cfg.Width < MinImageSide || cfg.Height < MinImageSide || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return nil, bad("survey.problem.image_size", map[string]any{"Width": cfg.Width, "Height": cfg.Height, "Min": MinImageSide, "Max": MaxImageSide})
	}
	img, err := decode(bytes.NewReader(raw))
	if err != nil {
		return nil, bad("survey.problem.image_unreadable.damaged", map[string]any{"Format": strings.ToUpper(format)})
	}
	return img, nil
}

// ImageDataURI returns raw PNG or JPEG bytes as the data URI an info
// screen's Image holds, or "" when raw is neither.
func ImageDataURI(raw []byte) string {
	var prefix string
	switch {
	case bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")):
		prefix = imagePrefixes["png"]
	case bytes.HasPrefix(raw, []byte("\xff\xd8\xff")):
		prefix = imagePrefixes["jpeg"]
	default:
		return ""
	}
	return prefix + base64.StdEncoding.EncodeToString(raw)
}

// ImageBytes returns the picture bytes and the file extension ("png" or
// "jpg") of an image data URI, or nil when it is not one.
func ImageBytes(uri string) ([]byte, string) {
	for f, prefix := range imagePrefixes {
		if rest, ok := strings.CutPrefix(uri, prefix); ok {
			raw, err := base64.StdEncoding.DecodeString(rest)
			if err != nil {
				return nil, ""
			}
			if f == "jpeg" {
				return raw, "jpg"
			}
			return raw, f
		}
	}
	return nil, ""
}

// info checks what only an info screen holds, and that it holds nothing
// of a question's.
func (c *problems) info(path string, q *Question) {
	c.text(path+".title", q.Title, false, MaxTitleLen, false)
	if q.Image != "" {
		if _, err := DecodeImage(q.Image); err != nil {
			p := err.(Problem)
			c.add(path+".image", p.Key, p.Args)
		}
	}
	if q.QR != nil {
		c.qr(path+".qr", q.QR)
	}
	notAllowed := func(field string, set bool) {
		if set {
			c.add(path+"."+field, "survey.problem.info_field", map[string]any{"Field": field})
		}
	}
	notAllowed("options", len(q.Options) > 0)
	notAllowed("optional", q.Optional)
	notAllowed("index", q.Index != "")
	notAllowed("labels", q.Labels != nil)
}

// qr checks an info screen's QR code: an http(s) link short enough to
// scan, with a caption.
func (c *problems) qr(path string, qr *QRCode) {
	u, err := url.Parse(qr.URL)
	switch {
	case qr.URL == "":
		c.add(path+".url", "survey.problem.qr_url_missing", nil)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(qr.URL, " \t\n") || !utf8.ValidString(qr.URL):
		c.add(path+".url", "survey.problem.qr_url", map[string]any{"URL": qr.URL})
	case len(qr.URL) > MaxQRURLLen:
		c.add(path+".url", "survey.problem.qr_url_too_long", map[string]any{"Count": len(qr.URL), "Max": MaxQRURLLen})
	}
	c.text(path+".caption", qr.Caption, true, MaxOptionLen, false)
}
