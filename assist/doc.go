// Package assist holds the machine-assist sources a translator starts
// from: the translation memory, the termbase (glossary) and, later, MT
// engines. Each candidate keeps where it came from and its score.
package assist
