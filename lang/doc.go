// Package lang holds yizhi's language knowledge: the registry of supported
// languages, Accept-Language negotiation, normalization, sentence
// segmentation, translation QA checks and strict decoding of legacy Chinese
// encodings.
//
// It is built on golang.org/x/text, and corrects it where the library is
// wrong or silent for the languages of China's courts (see LANGUAGES.md in
// the project's shared notes): bare "mn" and "kk" mean Cyrillic to the
// matcher, display names are missing for traditional Mongolian, Arabic-script
// Kazakh and Zhuang, NFKC damages Mongolian and Uyghur text, x/text has no
// sentence segmentation, and its GB18030 decoder turns 2,067 valid two-byte
// codes into U+FFFD.
//
// Everything here is pure and safe for concurrent use.
package lang
