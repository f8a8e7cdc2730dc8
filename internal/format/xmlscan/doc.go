// Package xmlscan is the hardened, byte-preserving XML reader shared by the
// XML resource formats (XLIFF, RESX, Android strings, stringsdict).
//
// encoding/xml cannot serve a format that must write a file back byte for
// byte: it forgets quoting, attribute spacing, CDATA boundaries and how text
// was escaped. xmlscan instead records where every token lies in the source,
// so a writer copies the untouched bytes and splices only the contents it
// changes.
//
// # Reading
//
// Parse reads a whole document into a tree of Elements, each knowing the
// byte spans of its start tag, its content and its end tag:
//
//	doc, err := xmlscan.Parse(src, xmlscan.Options{Name: opts.Name})
//	for _, unit := range doc.Root.Find("file", "body", "trans-unit") {
//		id, _ := unit.Attr("id")
//		text, err := doc.Text(unit.Child("source"))
//		...
//	}
//
// For a token stream instead of a tree, use NewScanner and Scanner.Next;
// Parse is built on it. Tokens carry absolute byte offsets into src and
// tile it: concatenated (after a BOM), their spans give back the input.
// Entity and character references stay inside KindText tokens, already
// validated; Decode, Doc.Text and Doc.InnerXML resolve them.
//
// # Hardening
//
// The scanner resolves nothing from outside the document: a DOCTYPE with an
// external identifier (SYSTEM or PUBLIC) or with an internal subset that
// declares entities (or uses parameter-entity references) is refused, which
// rules out XXE and entity-expansion ("billion laughs") attacks. Plists name
// Apple's DTD, so Options.AllowExternalDTD accepts (and never loads) an
// external identifier; entity declarations stay refused. Only the five
// predefined entities and numeric character references are decoded; any
// other reference is an error. Element nesting deeper than Options.MaxDepth
// (default 256) and inputs larger than Options.MaxBytes (default 32 MiB) are
// refused before any work is wasted. Scanning is linear in the input size.
// Only UTF-8 input (with or without a BOM) is accepted.
//
// Every error about the input is a *format.ParseError with line and column.
//
// # Writing
//
// Doc.Text turns an element's content (text, references, CDATA) into a
// string, Decode does so for raw character data; Doc.InnerXML keeps child
// markup verbatim while decoding the text around it, which is how inline
// elements such as XLIFF's <g> or <ph> reach a translator as protected
// markup. Doc.DetectStyle looks at how a file escapes its texts and
// Style.EncodeContent writes a new text the same way (CDATA kept where the
// replaced content was CDATA); Style.EncodeInline also recognises elements
// of an inline vocabulary however they are spelled (see Inline). Either
// writes markup only when it balances and drops what XML cannot carry, so
// the result is always well-formed. EncodeAttr escapes an attribute value
// and Doc.AttrQuote tells which quote a new attribute should use. Edits lists byte
// ranges to replace and Edits.Apply writes the source with those changes, so
// a writer never re-serializes anything it did not change.
package xmlscan
