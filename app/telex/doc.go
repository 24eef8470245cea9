// Package telex composes Vietnamese text from plain keystrokes with the two
// input methods Vietnamese typists know: Telex and VNI. It has no Fyne
// dependency; the on-screen keyboard (app/ui/osk) drives a Composer.
//
// A Composer holds the composed text. Each key either transforms the word
// at the end of the text (the run of letters since the last space or other
// non-letter) or is appended as typed. Because the Composer works on the
// composed text itself, keys may come in any order inside a word: "hafi",
// "haif" and "hai" + "f" all give "hài", and "tono" gives "tôn".
//
// Telex keys:
//
//	s f r x j   tones sắc, huyền, hỏi, ngã, nặng   ("rats" → "rát")
//	z           removes the tone                   ("ráz" → "ra")
//	aa ee oo    â ê ô                              ("tooi" → "tôi")
//	aw ow uw    ă ơ ư; "uow" → "ươ"; a lone w → ư  ("tw" → "tư")
//	dd          đ                                  ("ddi" → "đi")
//
// VNI keys: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng, 0 removes the tone,
// 6 â ê ô, 7 ơ ư (and "uo7" → "ươ"), 8 ă, 9 đ ("ha2i lo2ng" → "hài lòng").
//
// Pressing a tone or mark key a second time undoes it and types the key
// itself ("ass" → "as", "aaa" → "aa", "a11" → "a1"); after such an undo the
// rest of the word is typed literally, so "asss" gives "ass". Backspace
// removes the last composed character ("hài" → "hà") and ends that literal
// state.
//
// A key transforms a word only when the word is spelled like a Vietnamese
// syllable: a known initial consonant (b, c, ch, d, đ, g, gh, gi, h, k, kh,
// l, m, n, ng, ngh, nh, p, ph, qu, r, s, t, th, tr, v, x or none), a known
// vowel group, and a known final (c, ch, m, n, ng, nh, p, t or none).
// Otherwise the key is typed as itself, so foreign words such as "class" or
// "email" are not mangled.
//
// Tone placement follows the "new" rule taught in Vietnamese schools: the
// tone mark sits on the main vowel of the syllable. In detail:
//
//   - a vowel carrying a mark (ă â ê ô ơ ư) takes the tone; in ươ the ơ
//     ("người", "thuở", "mưa");
//   - otherwise, in a syllable with a final consonant, the last vowel
//     ("hoàn", "quýt", "huỳnh");
//   - otherwise one vowel takes it, the middle of three ("ngoài", "khuỷu"),
//     and of two the first ("hài", "mùa"), except oa, oe and uy, where the
//     second vowel takes it: hoà, khoẻ, thuỷ (not hòa, khỏe, thủy).
//
// The u of qu and the i of gi before another vowel belong to the initial
// consonant, so "quá", "già" and "giữ" place the tone on the next vowel,
// while "gì" keeps it on the i.
//
// The composed text is always valid UTF-8 in Unicode Normalization Form C
// (NFC), the form TCVN 6909:2001 documents and the kiosk stores.
package telex
