package lang

import "golang.org/x/text/language"

// ScriptShare reports how much of text is written in a script that lang
// does not use: share is the fraction of letters outside lang's expected
// scripts (0 when every letter is right), and letters is how many letters
// were judged. Digits, punctuation, spaces and combining marks of no
// particular script are neutral and not counted.
//
// It is the measurement behind the target_script QA check, exposed so that
// callers outside QA (MT output filtering) refuse the same texts QA would
// block, by the same rules: Han counts as wrong where Han is not expected
// (a copied source is not a translation), and Chinese case numbers such as
// (2023)新01刑初15号 are skipped because they legitimately stay in Chinese
// inside any translation.
//
// For a language whose script is unknown (ExpectedScript returns ""),
// nothing can be wrong: share is 0 and letters still counts the letters.
func ScriptShare(lang, text string) (share float64, letters int) {
	li := infoFor(lang)
	st := scanTarget(text, spansOf(findCaseNumbers(text)), li)
	if st.letters == 0 || li.main == scNone {
		return 0, st.letters
	}
	return float64(st.wrong+st.han) / float64(st.letters), st.letters
}

// ExpectedScript returns the ISO 15924 code of the script lang is written
// in, as the script checks understand it: "Mong" for mn-Mong, "Arab" for ug
// and kk-Arab, "Hang" for ko, "Jpan" for ja, "Hans" for zh-Hans. Tags
// outside the registry are judged by the script x/text infers for them. It
// returns "" when the script is not one the checks can tell apart, in which
// case ScriptShare never finds anything wrong.
func ExpectedScript(lang string) string {
	if infoFor(lang).main == scNone {
		return ""
	}
	reg := registry()
	tag := lang
	if c, err := reg.Canonicalize(lang); err == nil {
		tag = c
	}
	if l, ok := reg.Lookup(tag); ok {
		return l.Script
	}
	// infoFor found a script above, so the tag parses.
	t, _ := language.Parse(tag)
	s, _ := t.Script()
	return s.String()
}
